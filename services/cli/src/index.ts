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
export { replayWorkflow, type ReplayOptions, type ReplayResult } from './replay/replay.ts';
export {
  deadLetterId,
  parseDeadLetterId,
  type DeadLetterPosition,
} from './dead-letters/dead-letter-id.ts';
export {
  listDeadLetters,
  showDeadLetter,
  type DeadLetterDetail,
  type DeadLetterFilter,
  type DeadLetterList,
  type DeadLetterRow,
  type DecodedSourceValue,
} from './dead-letters/dead-letters.ts';
export { REDRIVE_TOPIC, type Redrive, type UndecodableDeadLetter } from './dead-letters/read.ts';
export {
  redriveDeadLetters,
  REDRIVE_TRANSACTIONAL_ID,
  REDRIVEN_FROM_HEADER,
  type RedriveOptions,
  type RedriveResult,
} from './dead-letters/redrive.ts';
export type { ShownBytes } from './dead-letters/shown-bytes.ts';
export { CliError, EXIT, type CliErrorCode } from './errors.ts';
