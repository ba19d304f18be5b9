import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import type { Kafka, Producer } from './client.ts';
import { kafkaConnectionFromEnv } from './connection.ts';
import { KafkaError } from './errors.ts';
import {
  PartitionReader,
  type PartitionReaderOptions,
  type PartitionRecord,
} from './partition-reader.ts';
import {
  createTestTopic,
  eventually,
  testKafka,
  transactionalProducer,
  uniqueName,
  withAdmin,
} from './testing.ts';

// Each test's timeout also bounds its waits: a read or close that waited for a
// consume timeout instead of ending at the log end would run past it.
const kafka: Kafka = testKafka('partition-reader-test');
let producer: Producer;
const readers: PartitionReader[] = [];

async function connectedReader(options?: PartitionReaderOptions): Promise<PartitionReader> {
  const reader = new PartitionReader(
    kafkaConnectionFromEnv(process.env, 'partition-reader-test'),
    options,
  );
  readers.push(reader);
  await reader.connect();
  return reader;
}

async function produce(topic: string, partition: number, values: readonly string[]): Promise<void> {
  await producer.send({
    topic,
    messages: values.map((value, index) => ({
      partition,
      key: `key-${value}`,
      value,
      headers: { source: 'test', index: String(index) },
    })),
  });
}

function byPartition(records: readonly PartitionRecord[]): Map<number, PartitionRecord[]> {
  const grouped = new Map<number, PartitionRecord[]>();
  for (const record of records) {
    const list = grouped.get(record.partition) ?? [];
    list.push(record);
    grouped.set(record.partition, list);
  }
  return grouped;
}

function valuesOf(records: readonly PartitionRecord[] | undefined): string[] {
  return (records ?? []).map((record) => record.value?.toString() ?? '<null>');
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof KafkaError, `expected a KafkaError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

before(async () => {
  // Idempotent so that a retried first batch cannot land after later ones: the tests assert order.
  producer = kafka.producer({ 'enable.idempotence': true });
  await producer.connect();
});

after(async () => {
  await Promise.all(readers.map((reader) => reader.close()));
  await producer.disconnect();
});

it(
  'readToEnd returns exactly the produced records of each partition, in order, with keys and headers',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-all');
    await createTestTopic(kafka, topic, 3);
    const produced = new Map([
      [0, ['a0', 'a1', 'a2', 'a3']],
      [1, ['b0', 'b1']],
      [2, Array.from({ length: 700 }, (_, index) => `c${index}`)],
    ]);
    for (const [partition, values] of produced) await produce(topic, partition, values);
    const reader = await connectedReader();

    // Twice on one reader: the second read must see the end again.
    for (let round = 0; round < 2; round++) {
      const records: PartitionRecord[] = [];
      await reader.readToEnd(
        [0, 1, 2].map((partition) => ({ topic, partition })),
        (record) => records.push(record),
      );
      const grouped = byPartition(records);
      for (const [partition, values] of produced) {
        const read = grouped.get(partition) ?? [];
        assert.deepEqual(valuesOf(read), values, `partition ${partition}, round ${round}`);
        assert.deepEqual(
          read.map((record) => record.offset),
          values.map((_, index) => index),
        );
        read.forEach((record, index) => {
          assert.equal(record.topic, topic);
          assert.equal(record.key?.toString(), `key-${values[index]}`);
          assert.deepEqual(
            Object.fromEntries(
              Object.entries(record.headers).map(([name, value]) => [name, value.toString()]),
            ),
            { source: 'test', index: String(index) },
          );
          assert.ok(record.timestamp > Date.now() - 60_000, `timestamp ${record.timestamp}`);
        });
      }
      assert.equal(records.length, 706);
    }
  },
);

it('readToEnd of an empty partition resolves without records', { timeout: 10_000 }, async () => {
  const topic = uniqueName('reader-empty');
  await createTestTopic(kafka, topic, 2);
  await produce(topic, 0, ['only']);
  const reader = await connectedReader();

  const records: PartitionRecord[] = [];
  await reader.readToEnd([{ topic, partition: 1 }], (record) => records.push(record));
  assert.equal(records.length, 0);
  await reader.readToEnd(
    [
      { topic, partition: 0 },
      { topic, partition: 1 },
    ],
    (record) => records.push(record),
  );
  assert.deepEqual(valuesOf(records), ['only']);
});

it(
  'under read_committed readToEnd returns only committed records and ends at transaction markers',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-txn');
    await createTestTopic(kafka, topic, 2);
    const transactional = transactionalProducer(kafka, 'reader-txn-producer');
    await transactional.connect();
    try {
      // Partition 0 ends in a commit marker, partition 1 in an abort marker.
      const committed = await transactional.transaction();
      await committed.send({
        topic,
        messages: ['c1', 'c2', 'c3'].flatMap((value) => [
          { partition: 0, value: `p0-${value}` },
          { partition: 1, value: `p1-${value}` },
        ]),
      });
      await committed.commit();
      const aborted = await transactional.transaction();
      await aborted.send({
        topic,
        messages: ['a1', 'a2'].map((value) => ({ partition: 1, value: `p1-${value}` })),
      });
      await aborted.abort();
    } finally {
      await transactional.disconnect();
    }
    const partitions = [0, 1].map((partition) => ({ topic, partition }));

    const committedReader = await connectedReader();
    const marks = await committedReader.watermarks(topic);
    assert.deepEqual(marks.get(0), { low: 0, high: 4 }, 'three records and a commit marker');
    assert.deepEqual(marks.get(1), { low: 0, high: 7 }, 'five records and two markers');
    const committedRecords: PartitionRecord[] = [];
    await committedReader.readToEnd(partitions, (record) => committedRecords.push(record));
    const committedByPartition = byPartition(committedRecords);
    assert.deepEqual(valuesOf(committedByPartition.get(0)), ['p0-c1', 'p0-c2', 'p0-c3']);
    assert.deepEqual(valuesOf(committedByPartition.get(1)), ['p1-c1', 'p1-c2', 'p1-c3']);

    // The aborted records really are in the log.
    const uncommittedReader = await connectedReader({ isolation: 'read_uncommitted' });
    const allRecords: PartitionRecord[] = [];
    await uncommittedReader.readToEnd(partitions, (record) => allRecords.push(record));
    assert.deepEqual(valuesOf(byPartition(allRecords).get(1)), [
      'p1-c1',
      'p1-c2',
      'p1-c3',
      'p1-a1',
      'p1-a2',
    ]);
  },
);

it(
  'readToEnd starts at a numeric offset, reads nothing from the end, and rejects an offset past it',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-offset');
    await createTestTopic(kafka, topic, 1);
    const values = Array.from({ length: 10 }, (_, index) => `v${index}`);
    await produce(topic, 0, values);
    const reader = await connectedReader();

    const records: PartitionRecord[] = [];
    await reader.readToEnd([{ topic, partition: 0, from: 4 }], (record) => records.push(record));
    assert.deepEqual(
      records.map((record) => record.offset),
      [4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(valuesOf(records), values.slice(4));

    const fromEnd: PartitionRecord[] = [];
    await reader.readToEnd([{ topic, partition: 0, from: 'end' }], (record) =>
      fromEnd.push(record),
    );
    await reader.readToEnd([{ topic, partition: 0, from: 10 }], (record) => fromEnd.push(record));
    assert.deepEqual(fromEnd, []);

    await rejectsWith(
      reader.readToEnd([{ topic, partition: 0, from: 11 }], () => {}),
      'KAFKA_READ_FAILED',
    );
    await rejectsWith(
      reader.readToEnd([{ topic, partition: 1 }], () => {}),
      'KAFKA_READ_FAILED',
    );
    await rejectsWith(
      reader.readToEnd([{ topic: uniqueName('reader-missing'), partition: 0 }], () => {}),
      'KAFKA_TOPIC_UNKNOWN',
    );
    // What onRecord throws rejects the read; the reader stays usable.
    await assert.rejects(
      reader.readToEnd([{ topic, partition: 0 }], () => {
        throw new Error('handler failed');
      }),
      /handler failed/,
    );
    const again: PartitionRecord[] = [];
    await reader.readToEnd([{ topic, partition: 0, from: 8 }], (record) => again.push(record));
    assert.deepEqual(valuesOf(again), ['v8', 'v9']);
  },
);

it(
  'while a transaction is open, read_committed ends at the last stable offset and follow from the end gets the records once committed',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-open-txn');
    await createTestTopic(kafka, topic, 1);
    await produce(topic, 0, ['plain']);
    const transactional = transactionalProducer(kafka, 'reader-open-txn-producer');
    await transactional.connect();
    try {
      const open = await transactional.transaction();
      await open.send({ topic, messages: [{ partition: 0, value: 'pending' }] });
      const committedReader = await connectedReader();
      const uncommittedReader = await connectedReader({ isolation: 'read_uncommitted' });
      assert.deepEqual((await committedReader.watermarks(topic)).get(0), { low: 0, high: 1 });
      assert.deepEqual((await uncommittedReader.watermarks(topic)).get(0), { low: 0, high: 2 });

      const committedRecords: PartitionRecord[] = [];
      await committedReader.readToEnd([{ topic, partition: 0 }], (record) =>
        committedRecords.push(record),
      );
      assert.deepEqual(valuesOf(committedRecords), ['plain']);
      const allRecords: PartitionRecord[] = [];
      await uncommittedReader.readToEnd([{ topic, partition: 0 }], (record) =>
        allRecords.push(record),
      );
      assert.deepEqual(valuesOf(allRecords), ['plain', 'pending']);

      // 'end' is the last stable offset: the open transaction's record comes when it commits.
      const follower = await connectedReader();
      const followed: PartitionRecord[] = [];
      await follower.follow([{ topic, partition: 0, from: 'end' }], (record) =>
        followed.push(record),
      );
      await open.commit();
      await eventually(
        () => followed.length,
        (count) => count >= 1,
        { timeoutMs: 5_000 },
      );
      assert.deepEqual(valuesOf(followed), ['pending']);
      const afterCommit: PartitionRecord[] = [];
      await committedReader.readToEnd([{ topic, partition: 0 }], (record) =>
        afterCommit.push(record),
      );
      assert.deepEqual(valuesOf(afterCommit), ['plain', 'pending']);
    } finally {
      await transactional.disconnect();
    }
  },
);

it(
  'follow from the end delivers nothing produced before it resolved and everything after, in order',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-follow');
    await createTestTopic(kafka, topic, 2);
    await produce(topic, 0, ['old-0', 'old-1']);
    await produce(topic, 1, ['old-2']);
    const errors: KafkaError[] = [];
    const reader = await connectedReader({ onError: (error) => errors.push(error) });

    const records: PartitionRecord[] = [];
    await reader.follow(
      [0, 1].map((partition) => ({ topic, partition, from: 'end' as const })),
      (record) => records.push(record),
    );
    const expected = new Map<number, string[]>([
      [0, []],
      [1, []],
    ]);
    for (let batch = 0; batch < 5; batch++) {
      for (const partition of [0, 1]) {
        const values = Array.from(
          { length: 4 },
          (_, index) => `new-${partition}-${batch}-${index}`,
        );
        expected.get(partition)?.push(...values);
        await produce(topic, partition, values);
      }
    }
    await eventually(
      () => records.length,
      (count) => count >= 40,
      { timeoutMs: 10_000 },
    );
    await delay(500); // anything extra would arrive by now
    const grouped = byPartition(records);
    assert.deepEqual(valuesOf(grouped.get(0)), expected.get(0));
    assert.deepEqual(valuesOf(grouped.get(1)), expected.get(1));
    assert.deepEqual(
      grouped.get(0)?.map((record) => record.offset),
      Array.from({ length: 20 }, (_, index) => index + 2),
    );
    assert.deepEqual(errors, []);
  },
);

it(
  'follow reports what onRecord throws to onError as KAFKA_READ_FAILED and goes on with the next record',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-follow-errors');
    await createTestTopic(kafka, topic, 1);
    await produce(topic, 0, ['r0', 'r1', 'r2']);
    const errors: KafkaError[] = [];
    const reader = await connectedReader({ onError: (error) => errors.push(error) });

    const values: string[] = [];
    await reader.follow([{ topic, partition: 0, from: 'beginning' }], (record) => {
      if (record.offset === 1) throw new Error('handler failed');
      values.push(record.value?.toString() ?? '');
    });
    await eventually(
      () => values.length,
      (count) => count >= 2,
      { timeoutMs: 5_000 },
    );
    assert.deepEqual(values, ['r0', 'r2']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'KAFKA_READ_FAILED');
    assert.deepEqual(errors[0]?.details, { topic, partition: 0, offset: 1 });
    assert.match(String((errors[0]?.cause as Error | undefined)?.message), /handler failed/);
  },
);

it(
  'partitionCount and watermarks describe the topic; an unknown topic is KAFKA_TOPIC_UNKNOWN',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-meta');
    await createTestTopic(kafka, topic, 3);
    await produce(topic, 0, ['x', 'y']);
    await produce(topic, 2, ['x', 'y', 'z', 'w', 'v']);
    const reader = await connectedReader();

    assert.equal(await reader.partitionCount(topic), 3);
    assert.deepEqual(
      await reader.watermarks(topic),
      new Map([
        [0, { low: 0, high: 2 }],
        [1, { low: 0, high: 0 }],
        [2, { low: 0, high: 5 }],
      ]),
    );
    const missing = uniqueName('reader-missing');
    await rejectsWith(reader.partitionCount(missing), 'KAFKA_TOPIC_UNKNOWN');
    await rejectsWith(reader.watermarks(missing), 'KAFKA_TOPIC_UNKNOWN');
  },
);

it(
  'close() while following stops delivery and resolves; the reader then refuses work',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-close');
    await createTestTopic(kafka, topic, 1);
    await produce(topic, 0, ['before-0', 'before-1', 'before-2']);
    const reader = await connectedReader();

    const records: PartitionRecord[] = [];
    await reader.follow([{ topic, partition: 0 }], (record) => records.push(record));
    await rejectsWith(
      reader.readToEnd([{ topic, partition: 0 }], () => {}),
      'KAFKA_READER_BUSY',
    );
    await rejectsWith(
      reader.follow([{ topic, partition: 0 }], () => {}),
      'KAFKA_READER_BUSY',
    );
    await eventually(
      () => records.length,
      (count) => count >= 3,
      { timeoutMs: 10_000 },
    );
    assert.deepEqual(valuesOf(records), ['before-0', 'before-1', 'before-2']);

    await reader.close();
    await produce(topic, 0, ['after-0', 'after-1']);
    await delay(1_000);
    assert.equal(records.length, 3);
    await rejectsWith(reader.partitionCount(topic), 'KAFKA_READER_NOT_CONNECTED');
    await rejectsWith(
      reader.follow([{ topic, partition: 0 }], () => {}),
      'KAFKA_READER_NOT_CONNECTED',
    );
  },
);

it(
  'close() during a readToEnd rejects it as KAFKA_READER_NOT_CONNECTED',
  { timeout: 10_000 },
  async () => {
    const topic = uniqueName('reader-close-read');
    await createTestTopic(kafka, topic, 1);
    await produce(topic, 0, ['one', 'two']);
    const reader = await connectedReader();

    let closing: Promise<void> | undefined;
    const read = reader.readToEnd([{ topic, partition: 0 }], () => {
      closing ??= reader.close();
    });
    await rejectsWith(read, 'KAFKA_READER_NOT_CONNECTED');
    await closing;
  },
);

it(
  'a time start reads from the first record at or after it, stays on the log when retention moves its start, and is the end when nothing is that new',
  { timeout: 15_000 },
  async () => {
    const topic = uniqueName('reader-time');
    await createTestTopic(kafka, topic, 1);
    const base = Date.now() - 60_000;
    await producer.send({
      topic,
      messages: ['t0', 't1', 't2', 't3'].map((value, index) => ({
        partition: 0,
        value,
        timestamp: String(base + index * 1_000),
      })),
    });
    const reader = await connectedReader();
    const read = async (atOrAfter: number) => {
      const records: PartitionRecord[] = [];
      await reader.readToEnd([{ topic, partition: 0, from: { atOrAfter } }], (record) =>
        records.push(record),
      );
      return valuesOf(records);
    };

    assert.deepEqual(await read(base + 1_500), ['t2', 't3']);
    assert.deepEqual(await read(base), ['t0', 't1', 't2', 't3']);
    assert.deepEqual(await read(base + 10_000), []);
    // Retention lets t0 and t1 go: a time before them starts at the log start, not outside it.
    await withAdmin(kafka, (admin) =>
      admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] }),
    );
    assert.deepEqual(await read(base), ['t2', 't3']);
    // This consumer fetched from offset 0 before: the beginning is still the log start now.
    const fromBeginning: PartitionRecord[] = [];
    await reader.readToEnd([{ topic, partition: 0 }], (record) => fromBeginning.push(record));
    assert.deepEqual(valuesOf(fromBeginning), ['t2', 't3']);
    await rejectsWith(
      reader.readToEnd([{ topic, partition: 0, from: { atOrAfter: -1 } }], () => {}),
      'KAFKA_READ_FAILED',
    );
  },
);
