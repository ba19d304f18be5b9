import { runAgentService } from '@paxfleet/agent-kit';
import { keywordSourceFromConfig, oracleConfig } from './config.ts';
import { LogHeadWatch } from './log-head-watch.ts';
import { NewestEvents, oracleAgent } from './oracle-agent.ts';

await runAgentService(
  'oracle',
  ({ config, logger, connection, registry, onStart, onShutdown }) => {
    const newest = new NewestEvents();
    const clientId = `${config.AGENT_ID}-${config.INSTANCE_ID}-log-head`;
    const watch = new LogHeadWatch({
      connection: { ...connection, clientId },
      registry,
      onEvent: (event) => newest.observe(event),
      logger,
      clientId,
    });
    onStart(() => watch.start());
    onShutdown('log head watch', () => watch.close());
    const keywords = keywordSourceFromConfig(config, logger);
    logger.info('oracle keyword source', { source: keywords.name });
    return oracleAgent({
      name: config.AGENT_ID,
      maxEventAgeMs: config.MAX_EVENT_AGE_MS,
      keywords,
      newest,
      lookahead: watch,
    });
  },
  { config: oracleConfig },
);
