export {
  formatCost,
  formatTimeline,
  summarize,
  workflowCost,
  workflowHistory,
  workflowTimeline,
  type BrokerScan,
  type TimelineEntry,
  type TimelineRead,
  type WorkflowCost,
} from './timeline.ts';
