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
} from './timeline.ts';
