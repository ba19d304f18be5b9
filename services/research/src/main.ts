import { runAgentService } from '@paxfleet/agent-kit';
import { researchAgent } from './research-agent.ts';

await runAgentService('research', ({ config }) =>
  researchAgent({ name: config.AGENT_ID, maxEventAgeMs: config.MAX_EVENT_AGE_MS }),
);
