import { runAgentService } from '@paxfleet/agent-kit';
import { FORMATS, writerAgent } from '@paxfleet/writing';

const hour = 3_600_000;

await runAgentService(
  { name: 'content', port: 7074, claims: true, maxEventAgeMs: hour },
  ({ config }) =>
    writerAgent({
      name: config.AGENT_ID,
      format: FORMATS.content,
      maxEventAgeMs: config.MAX_EVENT_AGE_MS,
    }),
);
