// Shows the event path end to end on the cluster in KAFKA_BROKERS: a research
// event goes onto research-events with the fleet's headers and comes back
// decoded by a read_committed consumer.
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { EventProducer } from '../event-producer.ts';
import { newTraceparent, newWorkflowId } from '../headers.ts';
import { eventRegistry } from '../registry.ts';

const registry = eventRegistry();
const kafka = createKafka(kafkaConnectionFromEnv(process.env, 'paxfleet-roundtrip'));
const workflowId = newWorkflowId();
const topic = 'agent-observability-platforms';

const consumer = kafka.consumer({
  'group.id': `roundtrip-${workflowId}`,
  'auto.offset.reset': 'latest',
  'isolation.level': 'read_committed',
});
await consumer.connect();
await consumer.subscribe({ topic: 'research-events' });
const received = new Promise<void>((resolve) => {
  void consumer.run({
    eachMessage: ({ message, partition }) => {
      if (message.headers?.['workflow-id']?.toString() !== workflowId) return Promise.resolve();
      const { value, writerVersion } = registry
        .codecForTopic('research-events')
        .decode(message.value as Buffer);
      console.log(
        `read    research-events[${partition}]@${message.offset} (schema v${writerVersion})`,
      );
      console.log(`        ${JSON.stringify(value)}`);
      console.log(
        `        headers: ${Object.entries(message.headers ?? {})
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ')}`,
      );
      resolve();
      return Promise.resolve();
    },
  });
});
await new Promise((resolve) => setTimeout(resolve, 3000));

const producer = new EventProducer({ kafka, registry, agent: 'research' });
await producer.connect();
await producer.send(
  'research-events',
  topic,
  {
    event_id: `evt-${Date.now()}`,
    event_type: 'analysis_complete',
    workflow_id: workflowId,
    topic,
    output_path: 'file:///research/obs-platforms-analysis.md',
    timestamp: Date.now(),
    summary: 'Five agent observability platforms compared',
  },
  { workflowId, traceparent: newTraceparent() },
);
console.log(`sent    research-events key=${topic} workflow-id=${workflowId}`);
await received;
await producer.disconnect();
await consumer.disconnect();
