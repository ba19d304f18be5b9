// The timeline lives in @paxfleet/timeline (the dashboard shows the same history); the
// CLI's commands and replay import it from here.
export {
  formatCost,
  formatTimeline,
  workflowCost,
  workflowHistory,
  workflowTimeline,
  type BrokerScan,
  type TimelineEntry,
  type TimelineRead,
  type WorkflowCost,
} from '@paxfleet/timeline';
