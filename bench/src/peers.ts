// Exactly-once throughput side by side, on the broker in KAFKA_BROKERS, with the same
// input for every loop (BENCH_PEER_RECORDS, default 100,000 Avro research tasks on 6
// partitions, 100 records per transaction): Kafka's ProducerPerformance with
// transactions and ConsumerPerformance with read_committed (the machine's ceilings for
// writing and reading), Kafka's own Java client in a consume-transform-produce loop
// (java/EosLoop.java, compiled here against the broker's jars), the same loop on
// KafkaJS, @platformatic/kafka and @confluentinc/kafka-javascript (src/js-loops.ts), and
// paxfleet's ExactlyOnceProcessor. Each figure is run BENCH_REPEATS times (default 3), in
// rounds of every loop in turn; the table shows the median and range; every loop's output
// is checked afterwards by a read_committed reader (exactly N distinct outputs). Results
// go to .run/bench/peers.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isolatedTopics,
  numberedTask,
  runAnalysisProcessor,
  writeNumberedTasks,
} from '@paxfleet/events/testing';
import { Type } from '@sinclair/typebox';
import { configFragment, loadConfig } from '@paxfleet/core';
import { kafkaConnectionFromEnv, PartitionReader } from '@paxfleet/kafka';
import { testKafka, uniqueName, withAdmin } from '@paxfleet/kafka/testing';
import { confluentLoop, kafkajsLoop, platformaticLoop, type LoopOptions } from './js-loops.ts';

const settings = loadConfig(
  configFragment('Peers benchmark', {
    BENCH_PEER_RECORDS: Type.Integer({ minimum: 1, default: 100_000 }),
    BENCH_REPEATS: Type.Integer({ minimum: 1, default: 3 }),
    BENCH_LOOPS: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  }),
  process.env,
);
const records = settings.BENCH_PEER_RECORDS;
const repeats = settings.BENCH_REPEATS;
const perTransaction = 100;
const partitions = 6;
const repository = new URL('../../', import.meta.url).pathname;
const brokers = process.env.KAFKA_BROKERS ?? '';
const kafka = testKafka('peers-bench');
const connection = kafkaConnectionFromEnv(process.env, 'peers-bench');

const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
const { names, registry } = topics;
await topics.create(kafka);
const taskCodec = registry.codecForTopic(names['research-tasks']);
await writeNumberedTasks(kafka, registry, names['research-tasks'], records);
const recordBytes = taskCodec.encode(numberedTask(Math.floor(records / 2))).length;

async function freshTopic(prefix: string): Promise<string> {
  const topic = uniqueName(prefix);
  await withAdmin(kafka, (admin) =>
    admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] }),
  );
  return topic;
}

/** What a read_committed reader finds on the topic: how many records, how many distinct ids. */
async function committed(
  topic: string,
  id: (value: Buffer) => string,
): Promise<{ count: number; distinct: number }> {
  const reader = new PartitionReader(connection, { clientId: 'peers-bench-check' });
  await reader.connect();
  const ids = new Set<string>();
  let count = 0;
  await reader.readToEnd(
    Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
    (record) => {
      count += 1;
      if (record.value) ids.add(id(record.value));
    },
  );
  await reader.close();
  return { count, distinct: ids.size };
}

async function paxfleet(): Promise<number> {
  // The same input; fresh output and dead-letter topics, typed as the catalog's.
  const run = isolatedTopics(['research-tasks', 'research-events', 'dead-letters'], {
    'research-tasks': names['research-tasks'],
  });
  await withAdmin(kafka, (admin) =>
    admin.createTopics({
      topics: [run.names['research-events'], run.names['dead-letters']].map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
      })),
    }),
  );
  const output = run.names['research-events'];
  const outputs = run.registry.codecForTopic(output);
  const result = await runAnalysisProcessor({
    kafka,
    registry: run.registry,
    topics: {
      input: run.names['research-tasks'],
      output,
      deadLetters: run.names['dead-letters'],
    },
    records,
    maxBatchRecords: perTransaction,
  });
  await expectExactly(output, (value) => outputs.decode(value).value.event_id);
  return result.records / result.seconds;
}

let javaClasses: string | undefined;
function javaLoop(classpath: string): string {
  if (javaClasses) return javaClasses;
  javaClasses = join(repository, '.tools', 'bench-java');
  mkdirSync(javaClasses, { recursive: true });
  execFileSync('javac', [
    '-d',
    javaClasses,
    '-cp',
    classpath,
    join(repository, 'bench/java/EosLoop.java'),
  ]);
  return javaClasses;
}

async function java(classpath: string): Promise<number> {
  const output = await freshTopic('peers-java');
  const run = spawnSync(
    'java',
    [
      '-cp',
      `${classpath}:${javaLoop(classpath)}`,
      'EosLoop',
      brokers,
      names['research-tasks'],
      output,
      uniqueName('peers-java'),
      uniqueName('peers-java-txn'),
      String(records),
      String(perTransaction),
    ],
    { encoding: 'utf8' },
  );
  const rate = /(\d+) records\/s/.exec(run.stdout)?.[1];
  if (run.status !== 0 || !rate) throw new Error(`EosLoop failed: ${run.stderr}`);
  await expectExactly(output, (value) => taskCodec.decode(value).value.task_id);
  return Number(rate);
}

async function producerPerformance(classpath: string): Promise<number> {
  const output = await freshTopic('peers-producer-perf');
  const run = spawnSync(
    'java',
    [
      '-cp',
      classpath,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      output,
      '--num-records',
      String(records),
      '--record-size',
      String(recordBytes),
      '--throughput',
      '-1',
      '--transactional-id',
      uniqueName('peers-producer-perf'),
      '--transaction-duration-ms',
      '100',
      '--producer-props',
      `bootstrap.servers=${brokers}`,
      'linger.ms=5',
    ],
    { encoding: 'utf8' },
  );
  const rate = /([\d.]+) records\/sec/.exec(run.stdout.trim().split('\n').at(-1) ?? '')?.[1];
  if (run.status !== 0 || !rate) throw new Error(`ProducerPerformance failed: ${run.stderr}`);
  const found = await committed(output, () => '');
  if (found.count !== records)
    throw new Error(`ProducerPerformance wrote ${found.count} of ${records}`);
  return Number(rate);
}

/** One of the JavaScript peers on the same input, into a fresh topic, checked like the others. */
async function javascript(loop: (options: LoopOptions) => Promise<number>): Promise<number> {
  const output = await freshTopic('peers-js');
  const rate = await loop({
    brokers: brokers.split(','),
    input: names['research-tasks'],
    output,
    group: uniqueName('peers-js'),
    transactionalId: uniqueName('peers-js-txn'),
    records,
    perTransaction,
  });
  await expectExactly(output, (value) => taskCodec.decode(value).value.task_id);
  return rate;
}

function consumerPerformance(classpath: string): number {
  const config = join(repository, '.run', 'bench', 'consumer-performance.properties');
  mkdirSync(join(repository, '.run', 'bench'), { recursive: true });
  writeFileSync(config, 'isolation.level=read_committed\nauto.offset.reset=earliest\n');
  const run = spawnSync(
    'java',
    [
      '-cp',
      classpath,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      brokers,
      '--topic',
      names['research-tasks'],
      '--num-records',
      String(records),
      '--group',
      uniqueName('peers-consumer-perf'),
      '--command-config',
      config,
      '--timeout',
      '60000',
    ],
    { encoding: 'utf8' },
  );
  // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const fields = run.stdout
    .trim()
    .split('\n')
    .at(-1)
    ?.split(',')
    .map((field) => field.trim());
  const consumed = Number(fields?.[4]);
  const rate = Number(fields?.[9]);
  if (run.status !== 0 || !Number.isFinite(rate)) {
    throw new Error(`ConsumerPerformance failed: ${run.stderr}${run.stdout}`);
  }
  if (consumed !== records) throw new Error(`ConsumerPerformance read ${consumed} of ${records}`);
  return rate;
}

async function expectExactly(topic: string, id: (value: Buffer) => string): Promise<void> {
  const found = await committed(topic, id);
  if (found.count !== records || found.distinct !== records) {
    throw new Error(
      `${topic}: ${found.count} records, ${found.distinct} distinct, expected ${records}`,
    );
  }
}

const classpath = execFileSync('bash', [join(repository, 'scripts/kafka.sh'), 'classpath'], {
  encoding: 'utf8',
}).trim();
const loops: { name: string; run: () => Promise<number> }[] = [
  {
    name: 'Kafka ProducerPerformance, transactional, 100 ms transactions (write ceiling)',
    run: () => producerPerformance(classpath),
  },
  {
    name: 'Kafka ConsumerPerformance, read_committed, fetch rate (read ceiling)',
    run: () => Promise.resolve(consumerPerformance(classpath)),
  },
  { name: 'Java consume-transform-produce loop (kafka-clients 4.3.1)', run: () => java(classpath) },
  { name: 'KafkaJS 2.2.4 loop', run: () => javascript(kafkajsLoop) },
  { name: '@platformatic/kafka 2.12.1 loop', run: () => javascript(platformaticLoop) },
  { name: '@confluentinc/kafka-javascript 1.10.1 loop', run: () => javascript(confluentLoop) },
  { name: `paxfleet ExactlyOnceProcessor`, run: paxfleet },
];
// BENCH_LOOPS (comma-separated name prefixes, e.g. "Java,paxfleet") runs only those.
const only = settings.BENCH_LOOPS;
const chosen = loops.filter((loop) => !only || only.some((prefix) => loop.name.startsWith(prefix)));
// Round after round of every loop, not each loop's repeats in a row: the broker gets
// faster as it warms up, and no loop should get only its cold or only its warm runs.
const runs = new Map<string, number[]>(chosen.map((loop) => [loop.name, []]));
for (let attempt = 0; attempt < repeats; attempt += 1) {
  for (const loop of chosen) runs.get(loop.name)?.push(Math.round(await loop.run()));
}
const results = chosen.map((loop) => {
  const measured = runs.get(loop.name) ?? [];
  const sorted = [...measured].sort((a, b) => a - b);
  return { name: loop.name, runs: measured, median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
});
const medianOf = (prefix: string) =>
  results.find((result) => result.name.startsWith(prefix))?.median;
const javaMedian = medianOf('Java');
const paxfleetMedian = medianOf('paxfleet');
/** `1.04x Java`, or nothing when that loop was left out by BENCH_LOOPS. */
const ratio = (value: number, to: number | undefined, label: string) =>
  to ? `  ${(value / to).toFixed(2)}x ${label}` : '';
console.log(
  `exactly-once loops, ${records} records of ${recordBytes} bytes, ${partitions} partitions, ${perTransaction} records/txn, median of ${repeats} (range)`,
);
for (const result of results) {
  const low = Math.min(...result.runs);
  const high = Math.max(...result.runs);
  console.log(
    `${result.name.padEnd(80)} ${String(result.median).padStart(8)} records/s (${low}-${high})${ratio(result.median, javaMedian, 'Java')}${ratio(result.median, paxfleetMedian, 'paxfleet')}`,
  );
}
const out = join(repository, '.run', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'peers.json'),
  `${JSON.stringify({ records, recordBytes, partitions, perTransaction, repeats, results }, null, 2)}\n`,
);
if (paxfleetMedian !== undefined && javaMedian !== undefined) {
  console.log(
    `bench: exactly-once processor, ${perTransaction} records/txn: ${paxfleetMedian} records/s, ${(paxfleetMedian / javaMedian).toFixed(2)}x the Java loop (${javaMedian} records/s)`,
  );
}
