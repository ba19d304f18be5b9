import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Consumer, Kafka } from './client.ts';
import { sendOffsetsWithMetadata } from './transactions.ts';
import {
  createTestTopic,
  eventually,
  testKafka,
  transactionalProducer,
  uniqueName,
} from './testing.ts';

const kafka: Kafka = testKafka('transactions-test');
const topic = uniqueName('txn');

async function readAll(
  isolation: 'read_committed' | 'read_uncommitted',
  expected: number,
): Promise<string[]> {
  const seen: string[] = [];
  const consumer: Consumer = kafka.consumer({
    'group.id': uniqueName(`reader-${isolation}`),
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': false,
    'isolation.level': isolation,
  });
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({
    eachMessage: ({ message }) => {
      seen.push(message.value?.toString() ?? '');
      return Promise.resolve();
    },
  });
  // Wait for what should arrive, then a little longer so extra records would show up too.
  await eventually(
    () => seen.length,
    (count) => count >= expected,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await consumer.disconnect();
  return seen.sort();
}

before(async () => {
  await createTestTopic(kafka, topic, 1);
  const producer = transactionalProducer(kafka, 'txn-producer');
  await producer.connect();
  try {
    const committed = await producer.transaction();
    await committed.send({
      topic,
      messages: ['c1', 'c2', 'c3'].map((value) => ({ key: 'k', value })),
    });
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: ['a1', 'a2'].map((value) => ({ key: 'k', value })) });
    await aborted.abort();
  } finally {
    await producer.disconnect();
  }
});

it('a read_committed consumer sees the committed batch and not the aborted one', async () => {
  assert.deepEqual(await readAll('read_committed', 3), ['c1', 'c2', 'c3']);
});

it('the aborted batch really reached the log (a read_uncommitted consumer sees it)', async () => {
  assert.deepEqual(await readAll('read_uncommitted', 5), ['a1', 'a2', 'c1', 'c2', 'c3']);
});

it('offsets sent to a transaction keep their metadata, read back by committed(); an aborted one leaves them as they were', async () => {
  const group = uniqueName('metadata-group');
  const consumer: Consumer = kafka.consumer({
    'group.id': group,
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': false,
    'isolation.level': 'read_committed',
  });
  await consumer.connect();
  await consumer.subscribe({ topic });
  let joined = false;
  await consumer.run({
    eachBatch: () => {
      joined = true;
      return Promise.resolve();
    },
  });
  await eventually(
    () => joined,
    (value) => value,
  );
  const producer = transactionalProducer(kafka, 'metadata-producer');
  await producer.connect();
  try {
    await producer.transaction();
    await sendOffsetsWithMetadata(producer, consumer, [
      { topic, partition: 0, offset: 2, metadata: 'pxf1:done-beyond' },
    ]);
    await producer.commit();
    await producer.transaction();
    await sendOffsetsWithMetadata(producer, consumer, [
      { topic, partition: 0, offset: 3, metadata: 'aborted' },
    ]);
    await producer.abort();
    const [committed] = await consumer.committed([{ topic, partition: 0 }]);
    assert.equal(committed?.offset, '2');
    assert.equal(committed?.metadata, 'pxf1:done-beyond');
  } finally {
    await producer.disconnect();
    await consumer.disconnect();
  }
});
