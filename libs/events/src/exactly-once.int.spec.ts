import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { EventProducer } from './event-producer.ts';
import { ExactlyOnceProcessor } from './exactly-once.ts';
import type { DeadLetter, ResearchEvent, ResearchTask } from './generated/events.ts';
import { isolatedTopics, startWorker, TopicWatcher } from './testing.ts';

const kafka: Kafka = testKafka('eos-test');

function task(index: number, brief = ''): ResearchTask {
  return {
    task_id: `task-${index}`,
    workflow_id: `workflow_${index}`,
    topic: `topic-${index % 97}`,
    brief,
    requested_by: 'eos-test',
    requested_at: Date.now(),
  };
}

function duplicates(ids: readonly string[]): number {
  return ids.length - new Set(ids).size;
}

describe('ExactlyOnceProcessor on the real broker', { timeout: 300_000 }, () => {
  describe('crash test: SIGKILL three times and SIGTERM once while processing 20,000 records', () => {
    const total = 20_000;
    const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
    const { names } = topics;
    const outputCodec = topics.registry.codecForTopic(names['research-events']);
    let live: TopicWatcher<ResearchEvent>;

    before(async () => {
      await topics.create(kafka);
      const producer = new EventProducer({ kafka, registry: topics.registry, agent: 'eos-test' });
      await producer.connect();
      for (let start = 0; start < total; start += 2000) {
        const records = Array.from({ length: 2000 }, (_, offset) => {
          const value = task(start + offset);
          return producer.record(names['research-tasks'], value.topic, value, {
            workflowId: value.workflow_id,
          });
        });
        await producer.sendRecords(records);
      }
      await producer.disconnect();
      live = await new TopicWatcher(
        kafka,
        names['research-events'],
        (bytes) => outputCodec.decode(bytes).value,
      ).start();
    });

    after(() => live.stop());

    const worker = () =>
      startWorker(new URL('./testing/crash-worker.ts', import.meta.url), {
        EOS_TOPICS: JSON.stringify(names),
        EOS_GROUP: `eos-crash-${names['research-tasks']}`,
        EOS_TRANSACTIONAL_ID: `eos-crash-${names['research-tasks']}`,
      });

    it('leaves every input exactly once in the output, and a live read_committed reader never sees a duplicate', async () => {
      const seenAtKill: number[] = [];
      for (const signal of ['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGTERM'] as const) {
        const { child, ready } = worker();
        await ready;
        const before = live.values.length;
        await eventually(
          () => live.values.length,
          // A random point in the run, by progress rather than time: a faster processor
          // must not finish the input before the last kill.
          (count) => count > before + 200 + Math.floor(Math.random() * (total / 16)),
          { timeoutMs: 60_000, intervalMs: 10 },
        );
        seenAtKill.push(live.values.length);
        child.kill(signal);
        const [code] = (await once(child, 'exit')) as [number | null];
        if (signal === 'SIGTERM') assert.equal(code, 0, 'SIGTERM drains and exits cleanly');
      }
      assert.ok(
        seenAtKill.every((count) => count > 0 && count < total),
        `every kill landed mid-run (outputs seen at each kill: ${seenAtKill.join(', ')})`,
      );

      const { child, ready } = worker();
      await ready;
      await eventually(
        () => live.values.length,
        (count) => count >= total,
        { timeoutMs: 180_000, intervalMs: 500 },
      );
      child.kill('SIGTERM');
      await once(child, 'exit');

      const ids = live.values.map((event) => event.event_id);
      assert.equal(duplicates(ids), 0, 'the live reader saw no duplicates');

      const final = await new TopicWatcher(
        kafka,
        names['research-events'],
        (bytes) => outputCodec.decode(bytes).value,
      ).start();
      await eventually(
        () => final.values.length,
        (count) => count >= total,
        { timeoutMs: 60_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await final.stop();
      const finalIds = final.values.map((event) => event.event_id);
      const missing = Array.from({ length: total }, (_, index) => `task-${index}`).filter(
        (id) => !finalIds.includes(id),
      );
      assert.equal(missing.length, 0, `missing outputs: ${missing.slice(0, 5).join(', ')}`);
      assert.equal(duplicates(finalIds), 0);
      assert.equal(finalIds.length, total);
    });
  });

  describe('poison records', () => {
    const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
    const { names } = topics;
    let processor: ExactlyOnceProcessor<'research-tasks'>;
    let outputs: TopicWatcher<ResearchEvent>;
    let deadLetters: TopicWatcher<DeadLetter>;
    const notAvro = Buffer.from('{"task_id":"json-is-not-avro"}');

    before(async () => {
      await topics.create(kafka);
      const producer = new EventProducer({ kafka, registry: topics.registry, agent: 'eos-test' });
      await producer.connect();
      const records = [task(1), task(2, 'poison'), task(3)].map((value) =>
        producer.record(names['research-tasks'], 'same-key', value, {
          workflowId: value.workflow_id,
        }),
      );
      const [first, poison, last] = records;
      const bad = {
        topic: names['research-tasks'],
        key: 'same-key',
        value: notAvro,
        headers: { 'workflow-id': 'workflow_bad' },
      };
      for (const record of [first, bad, poison, last])
        await producer.sendRecords([record as typeof bad]);
      await producer.disconnect();

      outputs = await new TopicWatcher(
        kafka,
        names['research-events'],
        (bytes) => topics.registry.codecForTopic(names['research-events']).decode(bytes).value,
      ).start();
      deadLetters = await new TopicWatcher(
        kafka,
        names['dead-letters'],
        (bytes) => topics.registry.codecForTopic(names['dead-letters']).decode(bytes).value,
      ).start();
      processor = new ExactlyOnceProcessor({
        kafka,
        registry: topics.registry,
        agent: 'poison-test',
        groupId: uniqueName('poison'),
        transactionalId: uniqueName('poison-txn'),
        topics: [names['research-tasks']],
        deadLetterTopic: names['dead-letters'],
        maxAttempts: 3,
        transform: (record, outbox) => {
          if (record.value.brief === 'poison')
            return Promise.reject(new Error('model refused the brief'));
          outbox.send(
            names['research-events'],
            record.value.topic,
            {
              event_id: record.value.task_id,
              event_type: 'analysis_complete',
              workflow_id: record.value.workflow_id,
              topic: record.value.topic,
              output_path: 'memory://x',
              timestamp: record.timestamp,
              summary: null,
              body: null,
            },
            record.context,
          );
          return Promise.resolve();
        },
      });
      await processor.start();
    });

    after(async () => {
      await processor.stop();
      await outputs.stop();
      await deadLetters.stop();
    });

    it('dead-letters undecodable bytes and a record that keeps failing, and the partition keeps flowing', async () => {
      await eventually(
        () => outputs.values.length + deadLetters.values.length,
        (count) => count >= 4,
      );
      assert.deepEqual(
        outputs.values.map((event) => event.event_id),
        ['task-1', 'task-3'],
      );
      const [undecodable, failing] = deadLetters.values;
      assert.ok(undecodable && failing);
      assert.equal(undecodable.error_code, 'DECODE_NOT_SINGLE_OBJECT');
      assert.deepEqual(undecodable.value, notAvro, 'the original bytes are kept');
      assert.equal(undecodable.source_topic, names['research-tasks']);
      assert.equal(undecodable.source_offset, 1);
      assert.equal(undecodable.headers['workflow-id']?.toString(), 'workflow_bad');
      assert.equal(failing.attempts, 3);
      assert.match(failing.error_message, /model refused the brief/);
      assert.equal(failing.source_offset, 2);
      assert.equal(failing.failed_by, 'poison-test');
    });
  });
});
