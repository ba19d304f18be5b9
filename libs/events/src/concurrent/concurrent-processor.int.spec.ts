import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { EventProducer } from '../event-producer.ts';
import type { ResearchEvent, ResearchTask } from '../generated/events.ts';
import { isolatedTopics, startWorker, TopicWatcher } from '../testing.ts';
import { ConcurrentProcessor } from './concurrent-processor.ts';

const kafka: Kafka = testKafka('concurrent-test');

function task(index: number, key = `topic-${index % 97}`): ResearchTask {
  return {
    task_id: `task-${index}`,
    workflow_id: `workflow_${index}`,
    topic: key,
    brief: '',
    requested_by: 'concurrent-test',
    requested_at: Date.now(),
  };
}

async function produceTasks(
  topics: ReturnType<typeof isolatedTopics<'research-tasks' | 'research-events' | 'dead-letters'>>,
  tasks: readonly ResearchTask[],
): Promise<void> {
  const producer = new EventProducer({
    kafka,
    registry: topics.registry,
    agent: 'concurrent-test',
  });
  await producer.connect();
  for (let start = 0; start < tasks.length; start += 1000) {
    await producer.sendRecords(
      tasks.slice(start, start + 1000).map((value) =>
        producer.record(topics.names['research-tasks'], value.topic, value, {
          workflowId: value.workflow_id,
        }),
      ),
    );
  }
  await producer.disconnect();
}

function output(index: number, run = 'test'): ResearchEvent {
  return {
    event_id: `task-${index}`,
    event_type: 'analysis_complete',
    workflow_id: `workflow_${index}`,
    topic: `topic-${index}`,
    output_path: `run://${run}`,
    timestamp: Date.now(),
    summary: null,
    body: null,
  };
}

describe('ConcurrentProcessor on the real broker', { timeout: 300_000 }, () => {
  describe('crash test: 32 events in flight, SIGKILL three times and SIGTERM once', () => {
    const total = 5000;
    const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
    const { names } = topics;
    const decode = (bytes: Buffer) =>
      topics.registry.codecForTopic(names['research-events']).decode(bytes).value;
    let live: TopicWatcher<ResearchEvent>;
    const handled: { task: string; run: number }[] = [];

    before(async () => {
      await topics.create(kafka);
      await produceTasks(
        topics,
        Array.from({ length: total }, (_, index) => task(index)),
      );
      live = await new TopicWatcher(kafka, names['research-events'], decode).start();
    });

    after(() => live.stop());

    const worker = (run: number) =>
      startWorker(
        new URL('../testing/concurrent-crash-worker.ts', import.meta.url),
        {
          EOS_TOPICS: JSON.stringify(names),
          EOS_GROUP: `eos-concurrent-${names['research-tasks']}`,
          EOS_TRANSACTIONAL_ID: `eos-concurrent-${names['research-tasks']}`,
          EOS_RUN: String(run),
        },
        (line) => {
          const [word, id, by] = line.split(' ');
          if (word === 'handled' && id && by) handled.push({ task: id, run: Number(by) });
        },
      );

    it('every input once in the output, no duplicate seen live, and no event whose outputs were committed handled again', async () => {
      const seenAtKill: number[] = [];
      let run = 0;
      for (const signal of ['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGTERM'] as const) {
        run += 1;
        const { child, ready } = worker(run);
        await ready;
        const before = live.values.length;
        await eventually(
          () => live.values.length,
          // A random point in the run, by progress rather than time: a faster processor
          // must not finish the input before the last kill.
          (count) => count > before + 100 + Math.floor(Math.random() * (total / 16)),
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
      run += 1;
      const { child, ready } = worker(run);
      await ready;
      await eventually(
        () => live.values.length,
        (count) => count >= total,
        { timeoutMs: 180_000, intervalMs: 500 },
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill('SIGTERM');
      await once(child, 'exit');

      const ids = live.values.map((event) => event.event_id);
      assert.equal(ids.length - new Set(ids).size, 0, 'the live reader saw no duplicates');
      const missing = Array.from({ length: total }, (_, index) => `task-${index}`).filter(
        (id) => !ids.includes(id),
      );
      assert.equal(missing.length, 0, `missing outputs: ${missing.slice(0, 5).join(', ')}`);
      // The run that committed an event's output is in the output; a start of that
      // event by a later run, or a second start by the same run, is a re-run of committed work.
      const committedBy = new Map(
        live.values.map((event) => [event.event_id, Number(event.output_path.slice(6))]),
      );
      const starts = new Map<string, number>();
      let rerunsOfCommitted = 0;
      for (const { task: id, run: by } of handled) {
        const committedRun = committedBy.get(id) ?? Infinity;
        if (by > committedRun) rerunsOfCommitted += 1;
        if (by === committedRun) {
          starts.set(id, (starts.get(id) ?? 0) + 1);
          if ((starts.get(id) ?? 0) > 1) rerunsOfCommitted += 1;
        }
      }
      const redone = handled.length - total;
      console.log(
        `concurrent crash test: ${total} events, ${handled.length} handled (${redone} again after a kill, before their commit), ${rerunsOfCommitted} re-runs of committed work, outputs seen at kills ${seenAtKill.join(', ')}`,
      );
      assert.equal(rerunsOfCommitted, 0, 'no event whose outputs were committed ran again');
    });
  });

  describe('in one process', () => {
    /** Fresh topics, an output watcher and a processor on them. */
    async function setup(
      concurrency: number,
      transform: (
        names: ReturnType<
          typeof isolatedTopics<'research-tasks' | 'research-events' | 'dead-letters'>
        >['names'],
      ) => ConstructorParameters<typeof ConcurrentProcessor<'research-tasks'>>[0]['transform'],
    ) {
      const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters']);
      const { names } = topics;
      await topics.create(kafka);
      const outputs = await new TopicWatcher(
        kafka,
        names['research-events'],
        (bytes) => topics.registry.codecForTopic(names['research-events']).decode(bytes).value,
      ).start();
      const eos = new ConcurrentProcessor({
        kafka,
        registry: topics.registry,
        agent: 'concurrent-test',
        groupId: uniqueName('concurrent-group'),
        transactionalId: uniqueName('concurrent-txn'),
        topics: [names['research-tasks']],
        deadLetterTopic: names['dead-letters'],
        concurrency,
        transform: transform(names),
      });
      await eos.start();
      return {
        topics,
        outputs,
        eos,
        stop: async () => {
          await eos.stop();
          await outputs.stop();
        },
      };
    }

    /** Every event counted as it starts, and held until open() lets them all finish. */
    async function gatedSetup(concurrency: number) {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let started = 0;
      const processor = await setup(concurrency, (names) => async (record, outbox) => {
        started += 1;
        await gate;
        outbox.send(
          names['research-events'],
          record.value.topic,
          output(Number(record.value.task_id.slice(5))),
          record.context,
        );
      });
      return { ...processor, open, started: () => started };
    }

    it('one key’s records in log order while other keys run at the same time', async () => {
      const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
      const tasks = Array.from({ length: 150 }, (_, index) =>
        task(1000 + index, keys[index % keys.length]),
      );
      const order = new Map<string, number[]>();
      let running = 0;
      let mostRunning = 0;
      const { topics, outputs, stop } = await setup(16, (names) => async (record, outbox) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        const index = Number(record.value.task_id.slice(5));
        order.set(record.value.topic, [...(order.get(record.value.topic) ?? []), index]);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        running -= 1;
        outbox.send(names['research-events'], record.value.topic, output(index), record.context);
      });
      try {
        await produceTasks(topics, tasks);
        await eventually(
          () => outputs.values.length,
          (count) => count >= tasks.length,
          { timeoutMs: 60_000 },
        );
      } finally {
        await stop();
      }
      for (const key of keys) {
        const seen = order.get(key) ?? [];
        assert.deepEqual(
          seen,
          [...seen].sort((a, b) => a - b),
          `${key} in log order`,
        );
        assert.equal(seen.length, 30);
      }
      assert.ok(mostRunning > 1, `keys ran concurrently (at most ${mostRunning} at once)`);
    });

    it('a full window stops taking records until work finishes', async () => {
      const { topics, outputs, eos, stop, open, started } = await gatedSetup(4);
      try {
        await produceTasks(
          topics,
          Array.from({ length: 20 }, (_, index) => task(2000 + index, `window-${index}`)),
        );
        await eventually(
          () => started(),
          (count) => count >= 4,
          { timeoutMs: 30_000 },
        );
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal(started(), 4, 'no fifth event while four are in flight');
        assert.equal(eos.inFlight, 4);
        open();
        await eventually(
          () => outputs.values.length,
          (count) => count >= 20,
          { timeoutMs: 30_000 },
        );
        assert.equal(started(), 20);
      } finally {
        open();
        await stop();
      }
    });

    it('paused, it finishes what is in flight and takes nothing more; resumed, it takes the rest, each once', async () => {
      const { topics, outputs, eos, stop, open, started } = await gatedSetup(4);
      try {
        await produceTasks(
          topics,
          Array.from({ length: 20 }, (_, index) => task(3000 + index, `paused-${index}`)),
        );
        await eventually(
          () => started(),
          (count) => count >= 4,
          { timeoutMs: 30_000 },
        );
        eos.pause();
        open();
        await eventually(
          () => outputs.values.length,
          (count) => count >= 4,
          { timeoutMs: 30_000 },
        );
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal(started(), 4, 'nothing taken while paused');
        assert.equal(outputs.values.length, 4, 'what was in flight was committed');
        await eos.resume();
        await eventually(
          () => outputs.values.length,
          (count) => count >= 20,
          { timeoutMs: 30_000 },
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(started(), 20);
        const ids = outputs.values.map((value) => value.event_id);
        assert.equal(new Set(ids).size, 20, 'each input once in the output');
      } finally {
        open();
        await stop();
      }
    });
  });
});
