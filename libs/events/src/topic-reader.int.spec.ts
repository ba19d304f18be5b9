import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { kafkaConnectionFromEnv, type PartitionRecord } from '@paxfleet/kafka';
import { testKafka } from '@paxfleet/kafka/testing';
import { EventProducer } from './event-producer.ts';
import { HEADER } from './headers.ts';
import { isolatedTopics, numberedTask } from './testing.ts';
import { TopicReader } from './topic-reader.ts';

const kafka = testKafka('topic-reader-test');
const topics = isolatedTopics(['research-tasks']);
const topic = topics.names['research-tasks'];
const producer = new EventProducer({ kafka, registry: topics.registry, agent: 'test' });
const raw = kafka.producer({ 'enable.idempotence': true });

before(async () => {
  await topics.create(kafka);
  await producer.connect();
  await raw.connect();
  for (const index of [1, 2, 3]) {
    await producer.send(topic, `key-${index}`, numberedTask(index), {
      workflowId: `workflow_${index}`,
    });
  }
  // Bytes no codec of the catalog reads, on partition 0 like every record here.
  await raw.send({
    topic,
    messages: [{ key: 'garbage', value: Buffer.from('not avro'), partition: 0 }],
  });
});

after(async () => {
  await producer.disconnect();
  await raw.disconnect();
});

it('decodes every record of every partition, and tells of the one it cannot decode, skipping it', async () => {
  const undecodable: { record: PartitionRecord; error: Error }[] = [];
  const reader = new TopicReader(
    kafkaConnectionFromEnv(process.env, 'topic-reader-test'),
    topics.registry,
    {
      clientId: 'topic-reader-test',
      onUndecodable: (record, error) => undecodable.push({ record, error }),
    },
  );
  await reader.connect();
  try {
    const read: string[] = [];
    await reader.readToEnd<'research-tasks'>(await reader.everyPartition(topic), (record) =>
      read.push(record.value.task_id),
    );
    assert.deepEqual(read.sort(), ['task-1', 'task-2', 'task-3']);
    assert.equal(undecodable.length, 1);
    assert.equal(undecodable[0]?.record.key?.toString('utf8'), 'garbage');

    // `only` picks before decoding: the others are neither decoded nor reported.
    const picked: string[] = [];
    await reader.readToEnd<'research-tasks'>(
      await reader.everyPartition(topic),
      (record) => picked.push(record.value.task_id),
      (record) => record.headers[HEADER.workflowId]?.toString('utf8') === 'workflow_2',
    );
    assert.deepEqual(picked, ['task-2']);
    assert.equal(undecodable.length, 1);
  } finally {
    await reader.close();
  }
});
