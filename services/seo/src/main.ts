import { runAgentService } from '@paxfleet/agent-kit';
import { seoAgent } from './seo-agent.ts';

await runAgentService('seo', ({ config }) =>
  seoAgent({ name: config.AGENT_ID, maxEventAgeMs: config.MAX_EVENT_AGE_MS }),
);
