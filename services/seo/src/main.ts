import { runAgentService } from '@paxfleet/agent-kit';
import { seoAgent } from './seo-agent.ts';

const day = 86_400_000;

await runAgentService(
  { name: 'seo', port: 7075, claims: false, maxEventAgeMs: day },
  ({ config }) => seoAgent({ name: config.AGENT_ID, maxEventAgeMs: config.MAX_EVENT_AGE_MS }),
);
