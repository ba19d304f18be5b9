import { runAgentService } from '@paxfleet/agent-kit';
import { eventRegistry } from '@paxfleet/events';
import { keywordSourceFromConfig, loadOracleConfig } from './config.ts';
import { LogHeadWatch } from './log-head-watch.ts';
import { NewestEvents, oracleAgent } from './oracle-agent.ts';

const tenMinutes = 600_000;
const oracleConfig = loadOracleConfig(process.env);

await runAgentService(
  { name: 'oracle', port: 7076, claims: false, maxEventAgeMs: tenMinutes },
  ({ config, logger, connection, onStart, onShutdown }) => {
    const newest = new NewestEvents();
    const clientId = `${config.AGENT_ID}-${config.INSTANCE_ID}-log-head`;
    const watch = new LogHeadWatch({
      connection: { ...connection, clientId },
      registry: eventRegistry(),
      onEvent: (event) => newest.observe(event),
      logger,
      clientId,
    });
    onStart(() => watch.start());
    onShutdown('log head watch', () => watch.close());
    const keywords = keywordSourceFromConfig(oracleConfig, logger);
    logger.info('oracle keyword source', { source: keywords.name });
    return oracleAgent({
      name: config.AGENT_ID,
      maxEventAgeMs: config.MAX_EVENT_AGE_MS,
      keywords,
      newest,
      lookahead: watch,
    });
  },
);
