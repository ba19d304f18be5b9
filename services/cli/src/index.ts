export {
  AGENTS,
  FleetProcess,
  startFleet,
  stopFleet,
  type AgentName,
  type FleetOptions,
} from './fleet.ts';
export { formatTimeline, workflowTimeline, type TimelineEntry } from './timeline.ts';
