export {
  AGENTS,
  FleetProcess,
  startFleet,
  stopFleet,
  type AgentName,
  type FleetOptions,
} from './fleet.ts';
export {
  formatTimeline,
  workflowHistory,
  workflowTimeline,
  type TimelineEntry,
  type TimelineRead,
} from './timeline.ts';
