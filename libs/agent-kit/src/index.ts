export { AgentMetrics } from './agent-metrics.ts';
export {
  AgentRuntime,
  type AgentDefinition,
  type AgentDeps,
  type HandlerOutcome,
  type Work,
} from './agent-runtime.ts';
export {
  blobConfig,
  blobStoreFromConfig,
  bodiesFromConfig,
  type BlobConfig,
} from './blob-config.ts';
export {
  DEFAULT_AGENT_CONCURRENCY,
  agentConfig,
  agentServiceConfig,
  runAgentService,
  type AgentSetup,
} from './agent-service.ts';
export { SpendWindow, type BudgetLimits, type BudgetVerdict, type Spend } from './budget.ts';
export { ledgeredModel, type LedgerScope, type ModelCallRecord } from './model-ledger.ts';
export {
  REPLAY_PRODUCER,
  RecordedCalls,
  loadRecordedCalls,
  replayingModel,
} from './replay-model.ts';
export { ProgressReporter, type ProgressStep } from './progress.ts';
export {
  StalenessGuard,
  describeAge,
  type StalePolicy,
  type StalenessVerdict,
} from './staleness.ts';
