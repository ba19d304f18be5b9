import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { EventProducer, ExactlyOnceProcessor, type ResearchTask } from '@paxfleet/events';
import { isolatedTopics } from '@paxfleet/events/testing';
import { kafkaConnectionFromEnv, type Kafka } from '@paxfleet/kafka';
import {
  createTestTopic,
  eventually,
  testKafka,
  transactionalProducer,
  uniqueName,
} from '@paxfleet/kafka/testing';
import { ConsumerLagMonitor } from './consumer-lag-monitor.ts';
import { KafkaLagSource } from './kafka-source.ts';

const kafka: Kafka = testKafka('lag-test');
const connection = kafkaConnectionFromEnv(process.env, 'lag-test');

interface Sample {
  labels: Record<string, string | number>;
  value: number;
}

/** The gauge's values for one group, as a scrape sees them (through the collect callback). */
async function scrape(registry: Registry, name: string, group: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  assert.ok(metric, `${name} is registered`);
  const { values } = await metric.get();
  return values
    .filter(({ labels }) => labels.consumer_group === group)
    .map(({ labels, value }) => ({ labels: labels as Sample['labels'], value }));
}

describe('ConsumerLagMonitor on the real broker', { timeout: 180_000 }, () => {
  describe('a transactional topic fully consumed by a group', () => {
    const topic = uniqueName('lag-drained');
    const group = uniqueName('lag-drained-group');
    const registry = new Registry();
    let monitor: ConsumerLagMonitor;

    before(async () => {
      await createTestTopic(kafka, topic, 2);
      const producer = transactionalProducer(kafka, 'lag-drained-tx');
      await producer.connect();
      // Committed: 5 records on partition 0 and 3 on partition 1, then an aborted transaction.
      await producer.transaction();
      await producer.send({
        topic,
        messages: [
          ...Array.from({ length: 5 }, (_, n) => ({ partition: 0, value: `p0-${n}` })),
          ...Array.from({ length: 3 }, (_, n) => ({ partition: 1, value: `p1-${n}` })),
        ],
      });
      await producer.commit();
      await producer.transaction();
      await producer.send({ topic, messages: [0, 1].map(() => ({ partition: 0, value: 'x' })) });
      await producer.abort();
      await producer.disconnect();

      const consumer = kafka.consumer({
        'group.id': group,
        'auto.offset.reset': 'earliest',
        'isolation.level': 'read_committed',
        'enable.auto.commit': true,
        'auto.commit.interval.ms': 100,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      let seen = 0;
      await consumer.run({
        eachMessage: () => {
          seen += 1;
          return Promise.resolve();
        },
      });
      await eventually(
        () => seen,
        (count) => count >= 8,
      );
      // Auto-commit every 100 ms, and once more on disconnect.
      await delay(500);
      assert.equal(seen, 8);
      await consumer.disconnect();
      monitor = new ConsumerLagMonitor({ connection, registry, groups: [group] });
    });

    after(() => monitor.close());

    it('finds the group among all groups of the cluster', async () => {
      const everyGroup = new ConsumerLagMonitor({
        connection,
        registry: new Registry(),
        groups: 'all',
      });
      try {
        const snapshot = await eventually(
          () => everyGroup.refresh(),
          (found) => (found?.partitions ?? []).some((row) => row.group === group),
        );
        assert.deepEqual(
          snapshot?.partitions
            .filter((row) => row.group === group)
            .map((row) => [row.topic, row.partition])
            .sort(),
          [
            [topic, 0],
            [topic, 1],
          ],
        );
      } finally {
        await everyGroup.close();
      }
    });

    it('reads 0 messages and 0 seconds, though the last stable offset is past the commit', async () => {
      // Markers are written after the commit returns: wait for the last stable offsets to settle.
      const snapshot = await eventually(
        () => monitor.refresh(),
        (found) =>
          found?.partitions
            .map((row) => `${row.partition}:${row.committed}:${row.lastStable}`)
            .sort()
            .join() === '0:5:9,1:3:4',
      );
      const rows = [...(snapshot?.partitions ?? [])].sort((a, b) => a.partition - b.partition);
      // Offsets 0-4 records, 5 commit marker, 6-7 aborted records, 8 abort marker.
      assert.deepEqual(
        rows.map(({ partition, committed, lastStable }) => ({ partition, committed, lastStable })),
        [
          { partition: 0, committed: 5, lastStable: 9 },
          { partition: 1, committed: 3, lastStable: 4 },
        ],
      );
      const messages = await scrape(registry, 'kafka_consumer_lag_messages', group);
      const seconds = await scrape(registry, 'kafka_consumer_lag_seconds', group);
      assert.deepEqual(
        messages.map((sample) => [sample.labels.topic, sample.labels.partition, sample.value]),
        [
          [topic, '0', 0],
          [topic, '1', 0],
        ],
      );
      assert.deepEqual(
        seconds.map((sample) => sample.value),
        [0, 0],
      );
      const ends = (await registry.getSingleMetric('kafka_topic_partition_end_offset')?.get())
        ?.values;
      assert.deepEqual(
        ends?.filter((end) => end.labels.topic === topic).map((end) => end.value),
        [9, 4],
      );
    });
  });

  describe('THE LAG TEST: an agent paused while tasks keep arriving falls behind and catches up', () => {
    const topics = isolatedTopics(['research-tasks', 'dead-letters']);
    const { names } = topics;
    const group = uniqueName('lag-agent');
    const registry = new Registry();
    const producer = new EventProducer({ kafka, registry: topics.registry, agent: 'lag-test' });
    let processor: ExactlyOnceProcessor<'research-tasks'>;
    let monitor: ConsumerLagMonitor;
    let paused = false;
    let resume: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    let handled = 0;

    before(async () => {
      await topics.create(kafka);
      await producer.connect();
      processor = new ExactlyOnceProcessor({
        kafka,
        registry: topics.registry,
        agent: 'research',
        groupId: group,
        topics: [names['research-tasks']],
        transactionalId: `${group}-0`,
        deadLetterTopic: names['dead-letters'],
        transform: async () => {
          // Paused: the agent holds the record it is on, as one stuck on a slow model call would.
          while (paused) await gate;
          handled += 1;
        },
      });
      await processor.start();
      // Sampled once a second below: a shorter min interval than the default keeps every sample fresh.
      monitor = new ConsumerLagMonitor({
        connection,
        registry,
        groups: [group],
        minIntervalMs: 500,
      });
    });

    after(async () => {
      paused = false;
      resume();
      await processor.stop();
      await producer.disconnect();
      await monitor.close();
    });

    it('shows kafka_consumer_lag_seconds rising past 3 s, then returning to 0', async () => {
      const threshold = 3;
      const start = Date.now();
      let sent = 0;
      let producing = true;
      const produced = (async () => {
        while (producing) {
          const value: ResearchTask = {
            task_id: `task-${sent}`,
            workflow_id: `workflow-${sent}`,
            topic: `topic-${sent % 12}`,
            brief: '',
            requested_by: 'lag-test',
            requested_at: Date.now(),
          };
          await producer.send(names['research-tasks'], value.topic, value, {
            workflowId: value.workflow_id,
          });
          sent += 1;
          await delay(200);
        }
      })();

      const curve: { t: number; phase: string; seconds: number; messages: number }[] = [];
      let phase = 'running';
      const sample = async () => {
        const seconds = await scrape(registry, 'kafka_consumer_lag_seconds', group);
        const messages = await scrape(registry, 'kafka_consumer_lag_messages', group);
        const point = {
          t: (Date.now() - start) / 1000,
          phase,
          seconds: Math.max(0, ...seconds.map((s) => s.value)),
          messages: messages.reduce((sum, s) => sum + s.value, 0),
          series: seconds.length,
        };
        curve.push(point);
        return point;
      };
      const sampleUntil = async (done: (point: Awaited<ReturnType<typeof sample>>) => boolean) => {
        // One sample a second: the monitor refreshes at most once a second anyway.
        const deadline = Date.now() + 60_000;
        for (;;) {
          if (curve.length > 0) await delay(1000);
          const point = await sample();
          if (done(point)) return point;
          assert.ok(Date.now() < deadline, `timed out in phase ${phase}`);
        }
      };

      try {
        // Running: the group has committed on every partition that had tasks and keeps up.
        await sampleUntil((point) => point.series > 0 && handled > 10 && Date.now() - start > 3000);

        phase = 'paused';
        gate = new Promise<void>((resolve) => (resume = resolve));
        paused = true;
        const behind = await sampleUntil((point) => point.seconds > threshold + 2);
        assert.ok(behind.seconds > threshold, `lag rose to ${behind.seconds} s`);
        assert.ok(behind.messages > 10, `${behind.messages} messages behind`);

        phase = 'resumed';
        paused = false;
        resume();
        await sampleUntil(() => curve.filter((point) => point.phase === 'resumed').length >= 3);

        phase = 'stopped producing';
        producing = false;
        await produced;
        const caughtUp = await sampleUntil((point) => point.seconds === 0 && point.messages === 0);
        assert.equal(caughtUp.seconds, 0);
        // Every task was handled (a retried transaction may run a transform twice).
        assert.ok(handled >= sent, `handled ${handled} of ${sent}`);
      } finally {
        producing = false;
        paused = false;
        resume();
        await produced;
        console.log(
          [
            `lag curve of group ${group} (${sent} tasks at 5/s on ${names['research-tasks']}, 6 partitions; max seconds and sum of messages over partitions)`,
            '|    t (s) | phase             | lag seconds | lag messages |',
            '|---------:|-------------------|------------:|-------------:|',
            ...curve.map(
              (point) =>
                `| ${point.t.toFixed(1).padStart(8)} | ${point.phase.padEnd(17)} | ${point.seconds.toFixed(2).padStart(11)} | ${String(point.messages).padStart(12)} |`,
            ),
          ].join('\n'),
        );
      }
      const peak = Math.max(...curve.map((point) => point.seconds));
      assert.ok(peak > threshold, `peak ${peak} s`);
    });
  });

  it('committed offsets of groups the cluster has never seen are empty, not a crash', async () => {
    // A standalone librdkafka admin client segfaulted here now and then (the broker answers
    // the first OffsetFetch of an unseen group with a coordinator error); the source's admin
    // rides on a consumer handle, which survives that answer.
    const source = new KafkaLagSource(
      kafkaConnectionFromEnv(process.env, uniqueName('lag-unseen')),
    );
    try {
      for (let index = 0; index < 40; index += 1) {
        assert.deepEqual(await source.committedOffsets(uniqueName('never-seen')), new Map());
      }
    } finally {
      await source.close();
    }
  });
});
