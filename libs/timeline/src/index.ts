export {
  formatCost,
  formatTimeline,
  summarize,
  timelineEntry,
  workflowCost,
  workflowHistory,
  workflowTimeline,
  type BrokerScan,
  type TimelineEntry,
  type TimelineRead,
  type WorkflowCost,
} from './timeline.ts';
