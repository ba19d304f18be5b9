export { AuditApiClient, DEFAULT_MAX_RETRY_AFTER_MS, type AuditApiOptions } from './audit-api.ts';
export { auditContent, auditResearch, CHECKED_KEYWORDS, type Audit } from './audit.ts';
export { keywordSourceFromConfig, oracleConfig, type OracleConfig } from './config.ts';
export {
  LocalKeywordRecommender,
  mentions,
  recommendKeywords,
  type KeywordRequest,
  type KeywordSource,
} from './keywords.ts';
export {
  isNewer,
  LatestEventTracker,
  type LogPosition,
  type Tracked,
} from './latest-event-tracker.ts';
export { LogHeadWatch, type LogHeadWatchOptions } from './log-head-watch.ts';
export {
  AUDITED_RESEARCH,
  NewestEvents,
  oracleAgent,
  researchWorkKey,
  type AuditedEvent,
  type Lookahead,
  type OracleAgentOptions,
  type OracleTopic,
} from './oracle-agent.ts';
