// A child process for the concurrent processor's crash test: turns research tasks into
// research events with many in flight, each taking a few random milliseconds, until it
// is killed. Before handling a task it writes "handled <task_id> <run>" to stdout with a
// synchronous write, so the test sees every start even when SIGKILL follows at once; the
// output names the run that wrote it, so the test can tell a re-run of committed work.
import { writeSync } from 'node:fs';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { ConcurrentProcessor } from '../concurrent/concurrent-processor.ts';
import { analysisOf, isolatedTopics } from '../testing.ts';

const names = JSON.parse(process.env.EOS_TOPICS ?? '{}') as Record<string, string>;
const run = process.env.EOS_RUN ?? '0';
const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters'], names);
const { names: topic } = topics;
const kafka = createKafka(kafkaConnectionFromEnv(process.env, 'eos-concurrent-worker'));

const processor = new ConcurrentProcessor({
  kafka,
  registry: topics.registry,
  agent: 'concurrent-worker',
  groupId: process.env.EOS_GROUP ?? 'eos-concurrent',
  groupInstanceId: 'concurrent-worker-0',
  transactionalId: process.env.EOS_TRANSACTIONAL_ID ?? 'eos-concurrent-0',
  topics: [topic['research-tasks']],
  deadLetterTopic: topic['dead-letters'],
  concurrency: Number(process.env.EOS_CONCURRENCY ?? 32),
  transform: async (record, outbox) => {
    const task = record.value;
    writeSync(1, `handled ${task.task_id} ${run}\n`);
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 35));
    outbox.send(
      topic['research-events'],
      task.topic,
      analysisOf(task, record.timestamp, `run://${run}`),
      record.context,
    );
  },
});

process.once('SIGTERM', () => {
  processor.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await processor.start();
writeSync(1, 'ready\n');
