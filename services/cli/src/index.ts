export {
  AGENTS,
  FleetProcess,
  startFleet,
  stopFleet,
  type AgentName,
  type FleetOptions,
} from './fleet.ts';
export {
  formatCost,
  formatTimeline,
  workflowCost,
  workflowHistory,
  workflowTimeline,
  type TimelineEntry,
  type TimelineRead,
  type WorkflowCost,
} from '@paxfleet/timeline';
export {
  diffRuns,
  formatDiff,
  summarizeRun,
  type RunDiff,
  type RunSummary,
} from './replay/diff.ts';
export {
  ReplayError,
  replayWorkflow,
  type ReplayOptions,
  type ReplayResult,
} from './replay/replay.ts';
