import { runAgentService } from '@paxfleet/agent-kit';
import { FORMATS, writerAgent } from '@paxfleet/writing';

const hour = 3_600_000;

await runAgentService(
  { name: 'sales', port: 7073, claims: true, maxEventAgeMs: hour },
  ({ config }) =>
    writerAgent({
      name: config.AGENT_ID,
      format: FORMATS.sales,
      maxEventAgeMs: config.MAX_EVENT_AGE_MS,
    }),
);
