import { runAgentService } from '@paxfleet/agent-kit';
import { researchAgent } from './research-agent.ts';

await runAgentService(
  { name: 'research', port: 7071, claims: false, maxEventAgeMs: 3_600_000 },
  ({ config }) => researchAgent({ name: config.AGENT_ID, maxEventAgeMs: config.MAX_EVENT_AGE_MS }),
);
