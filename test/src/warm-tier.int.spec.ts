import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { workflowHistory } from '@paxfleet/cli';
import {
  applyCatalog,
  EventProducer,
  eventRegistry,
  HEADER,
  topicConfigs,
  type TopicName,
} from '@paxfleet/events';
import { analysisOf, isolatedTopics, numberedTask } from '@paxfleet/events/testing';
import {
  createKafka,
  kafkaConnectionFromEnv,
  PartitionReader,
  type Admin,
  type KafkaConnection,
} from '@paxfleet/kafka';
import { eventually, uniqueName } from '@paxfleet/kafka/testing';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';

// The warm tier (KIP-405) on a real broker: one of its own, started here with
// KAFKA_TIERED_STORAGE=1 (scripts/kafka.sh: LocalTieredStorage, the remote storage
// manager of Kafka's own tests, keeping the remote tier in a directory of its data
// dir), on ports of its own from 19192 up, and stopped afterwards, also on failure.

const repository = fileURLToPath(new URL('../..', import.meta.url));
const kafkaSh = join(repository, 'scripts/kafka.sh');
const FIRST_PORT = 19192;
const PORT_TRIES = 10;
const run = promisify(execFile);
/** The broker this file started, until it is stopped. */
let broker: TieredBroker | undefined;

interface TieredBroker {
  readonly port: number;
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
}

function brokerEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_DATA_DIR: dataDir,
    KAFKA_TIERED_STORAGE: '1',
  };
  // Not the suite's broker, nor its SCRAM listener.
  delete env.KAFKA_BROKERS;
  delete env.KAFKA_SCRAM_PORT;
  return env;
}

/** kafka.sh up on the first two free ports from 19192; exit code 3 means taken. */
async function startTieredBroker(): Promise<TieredBroker> {
  for (let port = FIRST_PORT, tries = 0; tries < PORT_TRIES; tries += 1, port += 2) {
    // A data dir of this run's own: `down` with it can only ever stop this broker.
    const dataDir = join(repository, `.kafka/data-${port}-warm-tier-${process.pid}`);
    const env = brokerEnv(port, dataDir);
    broker = { port, dataDir, env };
    watchdog(env);
    try {
      await run('bash', [kafkaSh, 'up'], { env });
      return broker;
    } catch (error) {
      // 3: the ports are another broker's; otherwise kafka.sh stopped what it started.
      broker = undefined;
      if ((error as { code?: unknown }).code === 3) continue;
      const { stderr } = error as { stderr?: string };
      throw new Error(`kafka.sh up (tiered storage, port ${port}) failed:\n${stderr ?? ''}`, {
        cause: error,
      });
    }
  }
  throw new Error(`no two free ports for the tiered broker from ${FIRST_PORT}`);
}

/**
 * A process of its own session (a Ctrl-C to the tests does not reach it) that runs
 * `kafka.sh down` once this process is gone: a test run killed or interrupted, also
 * while the broker starts, skips after() but leaves no broker behind. After after()
 * (or an `up` that failed), its `down` finds nothing to do.
 */
function watchdog(env: NodeJS.ProcessEnv): void {
  spawn(
    'bash',
    [
      '-c',
      'while kill -0 "$0" 2>/dev/null; do sleep 1; done; exec bash "$1" down',
      String(process.pid),
      kafkaSh,
    ],
    { env, detached: true, stdio: 'ignore' },
  ).unref();
}

/** Segment files (.log) of one topic's partition on the broker's disk, by base offset. */
function localSegments(dataDir: string, topic: string, partition: number): number[] {
  const dir = join(dataDir, 'kraft-logs', `${topic}-${partition}`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{20}\.log$/.test(name))
    .map((name) => Number(name.slice(0, 20)))
    .sort((a, b) => a - b);
}

/**
 * Segment files (.log) LocalTieredStorage holds for one topic's partition: its
 * directory <topic>-<partition>-<topic id> under tiered-storage/kafka-tiered-storage.
 */
function remoteSegments(dataDir: string, topic: string, partition: number): string[] {
  const root = join(dataDir, 'tiered-storage', 'kafka-tiered-storage');
  if (!existsSync(root)) return [];
  const prefix = `${topic}-${partition}-`;
  return readdirSync(root)
    .filter((name) => name.startsWith(prefix))
    .flatMap((name) =>
      readdirSync(join(root, name))
        .filter((file) => file.endsWith('.log'))
        .map((file) => join(name, file)),
    )
    .sort();
}

let connection: KafkaConnection;
let configs: TopicConfigAdmin;
let admin: Admin;

describe('the warm tier on a broker with tiered storage', { timeout: 120_000 }, () => {
  before(async () => {
    broker = await startTieredBroker();
    connection = kafkaConnectionFromEnv(
      { KAFKA_BROKERS: `127.0.0.1:${broker.port}` },
      'warm-tier-test',
    );
    configs = new TopicConfigAdmin(connection);
    admin = createKafka(connection).admin();
    await admin.connect();
  });

  after(async () => {
    try {
      await admin?.disconnect();
      await configs?.close();
    } finally {
      if (broker) {
        const { env } = broker;
        broker = undefined;
        await run('bash', [kafkaSh, 'down'], { env });
      }
    }
  });

  it("accepts the catalog's warm tiers: remote storage on, local retention the hot tier", async () => {
    assert.deepEqual(await configs.cluster(), { brokerCount: 1, tieredStorage: true });
    const catalogTopics = eventRegistry().catalog.topics;
    const tiered = catalogTopics.filter((spec) => spec.tiers).map((spec) => spec.name as TopicName);
    assert.ok(tiered.length > 0, 'the catalog has topics with a warm tier');
    const topics = isolatedTopics([...tiered, 'agent-progress']);
    const { catalog } = topics.registry;
    const options = { brokerCount: 1, tieredStorage: true };

    const first = await applyCatalog(admin, configs, catalog, options);
    assert.deepEqual(first.created.sort(), catalog.topics.map((spec) => spec.name).sort());
    const names = catalog.topics.map((spec) => spec.name);
    const described = await eventually(
      () => configs.describe(names),
      (byTopic) => names.every((name) => byTopic.has(name)),
    );
    let warm = 0;
    for (const spec of catalog.topics) {
      const broker = described.get(spec.name) ?? {};
      const wanted = topicConfigs(spec, options);
      // Every config the catalog sets, as the broker reports it.
      for (const [name, value] of Object.entries(wanted))
        assert.equal(broker[name], value, `${spec.name}: ${name}`);
      if (wanted['remote.storage.enable'] === 'true') {
        warm += 1;
        assert.ok(spec.tiers);
        assert.equal(wanted['local.retention.ms'], String(spec.tiers.hotMs), spec.name);
      } else {
        assert.equal(broker['remote.storage.enable'], 'false', spec.name);
        assert.equal(broker['local.retention.ms'], '-2', `${spec.name}: the topic's retention`);
      }
    }
    assert.ok(warm > 0, 'some of the catalog has a warm tier in remote storage');
    // The broker reports back what the catalog asks for: a second run changes nothing.
    const second = await applyCatalog(admin, configs, catalog, options);
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.updated, []);
    assert.equal(second.unchanged.length, catalog.topics.length);
  });

  it('moves rolled segments to the remote tier and serves them from there, from offset 0', async () => {
    assert.ok(broker);
    const { dataDir } = broker;
    const topics = isolatedTopics(['research-events']);
    const topic = topics.names['research-events'];
    const spec = topics.registry.catalog.topic(topic);
    const catalogConfigs = topicConfigs(spec, { brokerCount: 1, tieredStorage: true });
    // The catalog's configs with a hot tier of two seconds and half-second segments;
    // retention (30 days) stays: records leave the broker's disks, not Kafka.
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: Object.entries({
            ...catalogConfigs,
            'local.retention.ms': '2000',
            'segment.ms': '500',
            'file.delete.delay.ms': '0',
          }).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    const workflow = uniqueName('workflow_warm').replaceAll('-', '_');
    const producer = new EventProducer({
      kafka: createKafka(connection),
      registry: topics.registry,
      agent: 'research',
    });
    const sent: ReturnType<typeof analysisOf>[] = [];
    const sendWave = async (count: number) => {
      const values = Array.from({ length: count }, () => {
        const task = numberedTask(sent.length);
        const value = {
          ...analysisOf(task, Date.now(), `memory://warm/${task.task_id}`),
          workflow_id: workflow,
        };
        sent.push(value);
        return value;
      });
      await producer.sendRecords(
        values.map((value) => producer.record(topic, 'warm', value, { workflowId: workflow })),
      );
    };
    const WAVES = 6;
    const PER_WAVE = 50;
    await producer.connect();
    let settled: { localStart: number; local: number[]; remote: string[] };
    try {
      // Waves further apart than segment.ms: each one starts a segment of its own.
      for (let wave = 0; wave < WAVES; wave += 1) {
        await sendWave(PER_WAVE);
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
      const waved = sent.length;
      // Two seconds after the last record, every segment is past the hot tier: the broker
      // rolls the active one too, copies each to the remote tier and then deletes it
      // locally, leaving one empty segment: the local log starts at the end.
      settled = await eventually(
        async () => ({
          localStart: (await configs.localLogStarts(topic)).get(0) ?? -1,
          local: localSegments(dataDir, topic, 0),
          remote: remoteSegments(dataDir, topic, 0),
        }),
        ({ localStart, local }) => localStart === waved && local.length === 1,
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      assert.equal(settled.localStart, waved, 'the local log starts after the last record');
      assert.deepEqual(settled.local, [waved], "one empty segment left on the broker's disks");
      const bases = settled.remote.map((file) => Number(basename(file).slice(0, 20)));
      assert.ok(
        bases.length >= 2 && bases[0] === 0,
        `the remote tier has the segments, from offset 0: ${JSON.stringify(settled.remote)}`,
      );
      // Back to the catalog's hot tier (7 days): records sent now stay on the broker's disks.
      await configs.set(topic, { 'local.retention.ms': catalogConfigs['local.retention.ms']! });
      await eventually(
        async () => (await configs.describe([topic])).get(topic)?.['local.retention.ms'],
        (value) => value === catalogConfigs['local.retention.ms'],
      );
      await sendWave(20);
    } finally {
      await producer.disconnect();
    }
    const { localStart, remote } = settled;

    const reader = new PartitionReader(connection, { clientId: 'warm-tier-reader' });
    await reader.connect();
    const read: { offset: number; value: unknown; workflow: string | undefined }[] = [];
    try {
      const marks = (await reader.watermarks(topic)).get(0);
      assert.deepEqual(marks, { low: 0, high: sent.length }, 'Kafka still has every record');
      const codec = topics.registry.codecForTopic(topic);
      await reader.readToEnd([{ topic, partition: 0, from: 0 }], (record) => {
        read.push({
          offset: record.offset,
          // A plain object, as sent (the codec returns Avro record instances).
          value: record.value ? { ...codec.decode(record.value).value } : null,
          workflow: record.headers[HEADER.workflowId]?.toString('utf8'),
        });
      });
    } finally {
      await reader.close();
    }
    assert.deepEqual(
      read.map((record) => record.offset),
      sent.map((_, offset) => offset),
      'every offset from 0, in order',
    );
    for (const [offset, record] of read.entries())
      assert.deepEqual(record.value, sent[offset], `offset ${offset}: the record sent`);
    assert.ok(read.every((record) => record.workflow === workflow));

    // The timeline tells the records the broker served from the remote tier.
    const history = await workflowHistory(connection, topics.registry, workflow);
    assert.deepEqual(
      history.entries.map((entry) => [entry.offset, entry.source]),
      sent.map((_, offset) => [offset, offset < localStart ? 'warm' : 'broker']),
      'the timeline says warm for the records below the local log start',
    );
    console.log(
      `warm tier: ${sent.length} records, ${remote.length} segments copied to remote storage, local log starts at ${localStart}, all ${read.length} read back from offset 0 (${localStart} from the remote tier, ${read.length - localStart} from the broker's disks); timeline: ${history.entries.filter((entry) => entry.source === 'warm').length} warm`,
    );
  });
});
