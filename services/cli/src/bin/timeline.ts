// paxfleet timeline <workflow-id>: replays one workflow from every topic, in time order.
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { eventRegistry } from '@paxfleet/events';
import { formatTimeline, workflowTimeline } from '../timeline.ts';

const workflowId = process.argv[2];
if (!workflowId || !/^[\w-]+$/.test(workflowId)) {
  console.error('usage: timeline <workflow-id>   (for example workflow_7k2p9x0q)');
  process.exit(2);
}
const entries = await workflowTimeline(
  kafkaConnectionFromEnv(process.env, 'paxfleet-timeline'),
  eventRegistry(),
  workflowId,
);
console.log(
  entries.length > 0 ? formatTimeline(entries) : `no records carry workflow-id ${workflowId}`,
);
