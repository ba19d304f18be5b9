import { runAgentService } from '@paxfleet/agent-kit';
import { writerAgent } from '@paxfleet/writing';

await runAgentService('content', ({ config, agent }) =>
  writerAgent({ name: config.AGENT_ID, agent, maxEventAgeMs: config.MAX_EVENT_AGE_MS }),
);
