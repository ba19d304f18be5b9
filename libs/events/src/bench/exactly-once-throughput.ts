// Throughput of the exactly-once processor on the broker in KAFKA_BROKERS at
// several transaction sizes: every run processes the same input into a fresh
// output topic and reports records per second from first to last commit.
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { ExactlyOnceProcessor } from '../exactly-once.ts';
import { analysisOf, isolatedTopics, writeNumberedTasks } from '../testing.ts';

const records = Number(process.env.BENCH_RECORDS ?? 20_000);
const batchSizes = (process.env.BENCH_BATCH_SIZES ?? '1,10,100,500').split(',').map(Number);
const kafka = testKafka('eos-bench');

const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
const { names, registry } = topics;
await topics.create(kafka);
await writeNumberedTasks(kafka, registry, names['research-tasks'], records);

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
        analysisOf(record.value, record.timestamp, 'memory://bench'),
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
