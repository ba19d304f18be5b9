// Throughput of the exactly-once processor on the broker in KAFKA_BROKERS at
// several transaction sizes: every run processes the same input into a fresh
// output topic and reports records per second from first to last commit.
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { EventProducer } from '../event-producer.ts';
import { ExactlyOnceProcessor } from '../exactly-once.ts';
import { isolatedTopics } from '../testing.ts';

const records = Number(process.env.BENCH_RECORDS ?? 20_000);
const batchSizes = (process.env.BENCH_BATCH_SIZES ?? '1,10,100,500').split(',').map(Number);
const kafka = testKafka('eos-bench');

const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
const { names, registry } = topics;
await topics.create(kafka);
const producer = new EventProducer({ kafka, registry, agent: 'bench' });
await producer.connect();
for (let start = 0; start < records; start += 1000) {
  await producer.sendRecords(
    Array.from({ length: Math.min(1000, records - start) }, (_, offset) => {
      const id = start + offset;
      const task = {
        task_id: `task-${id}`,
        workflow_id: `workflow_${id}`,
        topic: `topic-${id % 101}`,
        brief: 'benchmark',
        requested_by: 'bench',
        requested_at: Date.now(),
      };
      return producer.record(names['research-tasks'], task.topic, task, {
        workflowId: task.workflow_id,
      });
    }),
  );
}
await producer.disconnect();

console.log(
  `exactly-once processor, ${records} records, ${registry.topic(names['research-tasks']).partitions} partitions`,
);
console.log('records/txn  records/s  transactions  seconds');
for (const maxBatchRecords of batchSizes) {
  let processed = 0;
  let transactions = 0;
  let first = 0;
  let last = 0;
  const processor = new ExactlyOnceProcessor({
    kafka,
    registry,
    agent: 'bench',
    groupId: uniqueName('bench'),
    transactionalId: uniqueName('bench-txn'),
    topics: [names['research-tasks']],
    deadLetterTopic: names['dead-letters'],
    maxBatchRecords,
    maxBatchMs: 1000,
    transform: (record, outbox) => {
      first ||= Date.now();
      outbox.send(
        names['research-events'],
        record.value.topic,
        {
          event_id: record.value.task_id,
          event_type: 'analysis_complete',
          workflow_id: record.value.workflow_id,
          topic: record.value.topic,
          output_path: 'memory://bench',
          timestamp: record.timestamp,
          summary: null,
          body: null,
        },
        record.context,
      );
      return Promise.resolve();
    },
    onCommit: (summary) => {
      processed += summary.records;
      transactions += 1;
      last = Date.now();
    },
  });
  await processor.start();
  await eventually(
    () => processed,
    (count) => count >= records,
    { timeoutMs: 600_000, intervalMs: 200 },
  );
  await processor.stop();
  const seconds = (last - first) / 1000;
  console.log(
    `${String(maxBatchRecords).padStart(11)}  ${String(Math.round(processed / seconds)).padStart(9)}  ${String(transactions).padStart(12)}  ${seconds.toFixed(1).padStart(7)}`,
  );
}
