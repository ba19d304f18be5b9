// Throughput of the exactly-once processor on the broker in KAFKA_BROKERS at
// several transaction sizes: every run processes the same input into a fresh
// output topic and reports records per second from first to last commit.
import { Type } from '@sinclair/typebox';
import { configFragment, loadConfig } from '@paxfleet/core';
import { testKafka } from '@paxfleet/kafka/testing';
import { isolatedTopics, runAnalysisProcessor, writeNumberedTasks } from '../testing.ts';

const settings = loadConfig(
  configFragment('Transaction size sweep', {
    BENCH_RECORDS: Type.Integer({ minimum: 1, default: 20_000 }),
    BENCH_BATCH_SIZES: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 1,
      default: [1, 10, 100, 500],
    }),
  }),
  process.env,
);
const records = settings.BENCH_RECORDS;
const batchSizes = settings.BENCH_BATCH_SIZES;
const kafka = testKafka('eos-bench');

const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
const { names, registry } = topics;
await topics.create(kafka);
await writeNumberedTasks(kafka, registry, names['research-tasks'], records);

console.log(
  `exactly-once processor, ${records} records, ${registry.topic(names['research-tasks']).partitions} partitions`,
);
console.log('records/txn  records/s  partition commits  seconds');
for (const maxBatchRecords of batchSizes) {
  const run = await runAnalysisProcessor({
    kafka,
    registry,
    topics: {
      input: names['research-tasks'],
      output: names['research-events'],
      deadLetters: names['dead-letters'],
    },
    records,
    maxBatchRecords,
  });
  console.log(
    `${String(maxBatchRecords).padStart(11)}  ${String(Math.round(run.records / run.seconds)).padStart(9)}  ${String(run.commits).padStart(17)}  ${run.seconds.toFixed(1).padStart(7)}`,
  );
}
