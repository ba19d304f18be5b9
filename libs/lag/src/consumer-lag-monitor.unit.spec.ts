import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { ConsumerLagMonitor } from './consumer-lag-monitor.ts';
import type { LagError } from './errors.ts';
import type { LagSource, PartitionEnds } from './kafka-source.ts';
import type { OldestRecord } from './lag.ts';

/** A cluster in memory: offsets and record timestamps set by the test, calls counted. */
class FakeSource implements LagSource {
  groups = new Map<string, Map<string, Map<number, number>>>();
  topics = new Map<string, Map<number, PartitionEnds>>();
  /** topic/partition -> offset -> timestamp of committed records. */
  records = new Map<string, Map<number, number>>();
  calls = { listGroups: 0, committedOffsets: 0, topicOffsets: 0, firstRecord: 0 };
  failGroup: string | undefined;
  gate: Promise<void> | undefined;

  async listGroups(): Promise<string[]> {
    this.calls.listGroups += 1;
    await this.gate;
    return [...this.groups.keys()];
  }

  async committedOffsets(groupId: string): Promise<Map<string, Map<number, number>>> {
    this.calls.committedOffsets += 1;
    await this.gate;
    if (groupId === this.failGroup) throw new Error('coordinator not available');
    return this.groups.get(groupId) ?? new Map();
  }

  async topicOffsets(topic: string): Promise<Map<number, PartitionEnds>> {
    this.calls.topicOffsets += 1;
    const ends = this.topics.get(topic);
    if (!ends) throw Object.assign(new Error('unknown topic'), { code: 3 });
    return Promise.resolve(ends);
  }

  async firstRecord(topic: string, partition: number, from: number): Promise<OldestRecord | null> {
    this.calls.firstRecord += 1;
    const records = [...(this.records.get(`${topic}/${partition}`) ?? new Map<number, number>())]
      .filter(([offset]) => offset >= from)
      .sort(([a], [b]) => a - b);
    const first = records[0];
    return Promise.resolve(first ? { offset: first[0], timestamp: first[1] } : null);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  commit(group: string, topic: string, partition: number, offset: number): void {
    const byTopic = this.groups.get(group) ?? new Map<string, Map<number, number>>();
    const offsets = byTopic.get(topic) ?? new Map<number, number>();
    offsets.set(partition, offset);
    byTopic.set(topic, offsets);
    this.groups.set(group, byTopic);
  }

  /** Appends records at the given timestamps, each followed by a commit marker. */
  produce(topic: string, partition: number, ...timestamps: number[]): void {
    const partitions = this.topics.get(topic) ?? new Map<number, PartitionEnds>();
    const ends = partitions.get(partition) ?? { low: 0, lastStable: 0 };
    const records = this.records.get(`${topic}/${partition}`) ?? new Map<number, number>();
    let end = ends.lastStable;
    for (const timestamp of timestamps) {
      records.set(end, timestamp);
      end += 2;
    }
    partitions.set(partition, { low: ends.low, lastStable: end });
    this.topics.set(topic, partitions);
    this.records.set(`${topic}/${partition}`, records);
  }
}

interface Sample {
  labels: Record<string, string | number>;
  value: number;
}

async function values(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  assert.ok(metric, `${name} is registered`);
  const { values: samples } = await metric.get();
  return samples.map(({ labels, value }) => ({ labels: labels as Sample['labels'], value }));
}

function valueOf(samples: Sample[], labels: Record<string, string>): number | undefined {
  return samples.find((sample) =>
    Object.entries(labels).every(([name, value]) => String(sample.labels[name]) === value),
  )?.value;
}

function setup(options: { groups?: readonly string[] | 'all'; minIntervalMs?: number } = {}) {
  let now = 1_000_000;
  const source = new FakeSource();
  const registry = new Registry();
  const errors: LagError[] = [];
  const monitor = new ConsumerLagMonitor({
    source,
    registry,
    groups: options.groups ?? 'all',
    endOffsetTopics: ['dead-letters'],
    minIntervalMs: options.minIntervalMs ?? 1000,
    clock: () => now,
    onError: (error) => errors.push(error),
  });
  return {
    source,
    registry,
    monitor,
    errors,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('ConsumerLagMonitor', () => {
  it('backlog: the messages a group has yet to read on a topic, refreshed when older than asked', async () => {
    const { source, monitor, now, advance } = setup();
    source.produce('tasks', 0, now() - 30_000, now() - 20_000, now() - 10_000);
    source.produce('tasks', 1, now() - 5_000);
    source.commit('research', 'tasks', 0, 2);
    assert.equal(await monitor.backlog('research', 'tasks'), 6); // partition 0: 4, partition 1: 2
    assert.equal(await monitor.backlog('research', 'other-topic'), 0);
    const refreshes = source.calls.listGroups;
    source.commit('research', 'tasks', 0, 6);
    // Values under a second old are used as they are.
    assert.equal(await monitor.backlog('research', 'tasks'), 6);
    assert.equal(source.calls.listGroups, refreshes);
    advance(1000);
    assert.equal(await monitor.backlog('research', 'tasks'), 2);
  });

  it('exports lag in messages and seconds per group, topic and partition, and topic ends', async () => {
    const { source, registry, now } = setup();
    source.produce('tasks', 0, now() - 30_000, now() - 20_000, now() - 10_000);
    source.produce('tasks', 1, now() - 5_000);
    source.produce('dead-letters', 0, now() - 1000);
    source.commit('research', 'tasks', 0, 2); // read the first record (offsets 0, marker 1)

    const messages = await values(registry, 'kafka_consumer_lag_messages');
    const seconds = await values(registry, 'kafka_consumer_lag_seconds');
    const ends = await values(registry, 'kafka_topic_partition_end_offset');

    const p0 = { consumer_group: 'research', topic: 'tasks', partition: '0' };
    const p1 = { consumer_group: 'research', topic: 'tasks', partition: '1' };
    assert.equal(valueOf(messages, p0), 4); // offsets 2..5: two records, two markers
    assert.equal(valueOf(seconds, p0), 20);
    // No commit on partition 1: counted from its low watermark.
    assert.equal(valueOf(messages, p1), 2);
    assert.equal(valueOf(seconds, p1), 5);
    assert.equal(messages.length, 2);
    assert.equal(valueOf(ends, { topic: 'tasks', partition: '0' }), 6);
    assert.equal(valueOf(ends, { topic: 'dead-letters', partition: '0' }), 2);
  });

  it('reads 0 and 0 for a drained transactional partition (a marker after the last record)', async () => {
    const { source, registry, now } = setup();
    source.produce('tasks', 0, now() - 30_000, now() - 20_000);
    source.commit('research', 'tasks', 0, 3); // after the last record, before its marker
    const labels = { consumer_group: 'research', topic: 'tasks', partition: '0' };
    assert.equal(valueOf(await values(registry, 'kafka_consumer_lag_messages'), labels), 0);
    assert.equal(valueOf(await values(registry, 'kafka_consumer_lag_seconds'), labels), 0);
  });

  it('shares one refresh between concurrent scrapes and refreshes at most once per min interval', async () => {
    const { source, registry, advance } = setup({ minIntervalMs: 1000 });
    source.produce('tasks', 0, 1);
    source.commit('research', 'tasks', 0, 0);
    let open: () => void = () => {};
    source.gate = new Promise<void>((resolve) => (open = resolve));
    const scrapes = [registry.metrics(), registry.metrics(), registry.metrics()];
    open();
    await Promise.all(scrapes);
    assert.equal(source.calls.listGroups, 1);
    await registry.metrics();
    advance(999);
    await registry.metrics();
    assert.equal(source.calls.listGroups, 1);
    advance(1);
    await registry.metrics();
    assert.equal(source.calls.listGroups, 2);
  });

  it('reads the oldest record of a stuck group once, not once per scrape', async () => {
    const { source, registry, advance, now } = setup();
    source.produce('tasks', 0, now() - 1000, now());
    source.commit('research', 'tasks', 0, 0);
    source.commit('audit', 'tasks', 0, 0);
    const labels = { consumer_group: 'research', topic: 'tasks', partition: '0' };
    assert.equal(valueOf(await values(registry, 'kafka_consumer_lag_seconds'), labels), 1);
    assert.equal(source.calls.firstRecord, 1); // both groups wait at offset 0: one read
    for (let scrape = 0; scrape < 5; scrape += 1) {
      advance(60_000);
      await registry.metrics();
    }
    assert.equal(source.calls.firstRecord, 1);
    assert.equal(valueOf(await values(registry, 'kafka_consumer_lag_seconds'), labels), 301);
  });

  it('reads only past the end of a range it found empty', async () => {
    const { source, monitor } = setup();
    source.produce('tasks', 0, 1);
    source.commit('research', 'tasks', 0, 1); // at the marker
    await monitor.refresh();
    assert.equal(source.calls.firstRecord, 1);
    await monitor.refresh();
    assert.equal(source.calls.firstRecord, 1);
    source.produce('tasks', 0, 5);
    const snapshot = await monitor.refresh();
    assert.equal(source.calls.firstRecord, 2);
    assert.equal(snapshot?.partitions[0]?.messages, 2);
  });

  it('drops the series of groups and partitions that went away', async () => {
    const { source, registry, monitor } = setup();
    source.produce('tasks', 0, 1);
    source.produce('results', 0, 1);
    source.commit('research', 'tasks', 0, 0);
    source.commit('seo', 'results', 0, 0);
    await monitor.refresh();
    assert.equal((await values(registry, 'kafka_consumer_lag_messages')).length, 2);
    source.groups.delete('seo');
    await monitor.refresh();
    const messages = await values(registry, 'kafka_consumer_lag_messages');
    assert.deepEqual(
      messages.map((sample) => sample.labels.consumer_group),
      ['research'],
    );
    source.topics.delete('tasks'); // deleted topic: its series go too
    await monitor.refresh();
    assert.equal((await values(registry, 'kafka_consumer_lag_messages')).length, 0);
  });

  it('keeps the previous values of a group it could not ask, and counts the error', async () => {
    const { source, registry, monitor, errors } = setup();
    source.produce('tasks', 0, 1, 2);
    source.commit('research', 'tasks', 0, 0);
    await monitor.refresh();
    source.failGroup = 'research';
    await monitor.refresh();
    const messages = await values(registry, 'kafka_consumer_lag_messages');
    assert.equal(valueOf(messages, { consumer_group: 'research' }), 4);
    const failed = errors.filter((error) => error.details.group === 'research');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.code, 'LAG_REFRESH_FAILED');
    const [failures] = await values(registry, 'kafka_consumer_lag_refresh_errors_total');
    assert.equal(failures?.value, errors.length);
  });

  it('watches only the groups it is given', async () => {
    const { source, monitor } = setup({ groups: ['research'] });
    source.produce('tasks', 0, 1);
    source.commit('research', 'tasks', 0, 0);
    source.commit('seo', 'tasks', 0, 0);
    const snapshot = await monitor.refresh();
    assert.deepEqual(
      snapshot?.partitions.map((row) => row.group),
      ['research'],
    );
    assert.equal(source.calls.listGroups, 0);
  });

  it('rejects bad options with coded errors', () => {
    assert.throws(
      () =>
        new ConsumerLagMonitor({
          source: new FakeSource(),
          registry: new Registry(),
          groups: [''],
        }),
      { code: 'LAG_CONFIG_INVALID' },
    );
    assert.throws(
      () =>
        new ConsumerLagMonitor({
          source: new FakeSource(),
          registry: new Registry(),
          groups: 'all',
          minIntervalMs: -1,
        }),
      { code: 'LAG_CONFIG_INVALID' },
    );
  });
});

describe('ConsumerLagMonitor in a Kafka namespace', () => {
  function namespaced(groups: readonly string[] | 'all') {
    const now = 1_000_000;
    const source = new FakeSource();
    const registry = new Registry();
    const monitor = new ConsumerLagMonitor({
      source,
      registry,
      groups,
      namespace: 'shadow',
      endOffsetTopics: ['dead-letters'],
      clock: () => now,
    });
    // The live fleet and the shadow one side by side on the cluster.
    for (const prefix of ['', 'shadow.']) {
      source.produce(`${prefix}tasks`, 0, now - 3000, now - 2000);
      source.produce(`${prefix}dead-letters`, 0, now - 1000);
      source.commit(`${prefix}research`, `${prefix}tasks`, 0, 2);
    }
    source.produce('tasks', 0, now - 500);
    return { monitor, registry, source };
  }

  it('watches the namespace’s groups and topics, by the cluster’s names, and answers backlog by the service’s', async () => {
    for (const groups of [['research'], 'all'] as const) {
      const { monitor, registry } = namespaced(groups);
      const snapshot = await monitor.refresh();
      assert.deepEqual(
        snapshot?.partitions.map((row) => `${row.group} ${row.topic} ${row.messages}`),
        ['shadow.research shadow.tasks 2'],
        String(groups),
      );
      assert.deepEqual(snapshot?.ends.map((row) => row.topic).sort(), [
        'shadow.dead-letters',
        'shadow.tasks',
      ]);
      assert.equal(await monitor.backlog('research', 'tasks'), 2);
      const messages = await values(registry, 'kafka_consumer_lag_messages');
      assert.equal(
        valueOf(messages, {
          consumer_group: 'shadow.research',
          topic: 'shadow.tasks',
          partition: '0',
        }),
        2,
      );
      assert.equal(messages.length, 1, 'no live series');
    }
  });
});
