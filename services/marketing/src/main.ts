import { runAgentService } from '@paxfleet/agent-kit';
import { FORMATS, writerAgent } from '@paxfleet/writing';

const hour = 3_600_000;

await runAgentService(
  { name: 'marketing', port: 7072, claims: true, maxEventAgeMs: hour },
  ({ config }) =>
    writerAgent({
      name: config.AGENT_ID,
      format: FORMATS.marketing,
      maxEventAgeMs: config.MAX_EVENT_AGE_MS,
    }),
);
