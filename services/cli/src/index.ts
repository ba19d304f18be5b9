export {
  AGENTS,
  FleetProcess,
  startFleet,
  stopFleet,
  type AgentName,
  type FleetOptions,
} from './fleet.ts';
