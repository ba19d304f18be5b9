// A child process for the exactly-once crash test: turns research tasks into
// research events until it is killed. Topics and ids come from the environment.
import { kafkaConnectionFromEnv, createKafka } from '@paxfleet/kafka';
import { ExactlyOnceProcessor } from '../exactly-once.ts';
import { analysisOf, isolatedTopics } from '../testing.ts';

const names = JSON.parse(process.env.EOS_TOPICS ?? '{}') as Record<string, string>;
const topics = isolatedTopics(['research-tasks', 'research-events', 'dead-letters'], names);
const { names: topic } = topics;
const kafka = createKafka(kafkaConnectionFromEnv(process.env, 'eos-crash-worker'));

const processor = new ExactlyOnceProcessor({
  kafka,
  registry: topics.registry,
  agent: 'crash-worker',
  groupId: process.env.EOS_GROUP ?? 'eos-crash',
  groupInstanceId: 'crash-worker-0',
  transactionalId: process.env.EOS_TRANSACTIONAL_ID ?? 'eos-crash-0',
  topics: [topic['research-tasks']],
  deadLetterTopic: topic['dead-letters'],
  maxBatchRecords: Number(process.env.EOS_BATCH ?? 20),
  transform: (record, outbox) => {
    const task = record.value;
    outbox.send(
      topic['research-events'],
      task.topic,
      analysisOf(task, record.timestamp, `memory://${task.task_id}`),
      record.context,
    );
    return Promise.resolve();
  },
});

process.once('SIGTERM', () => {
  processor.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await processor.start();
console.log('ready');
