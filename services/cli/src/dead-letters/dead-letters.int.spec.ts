import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  applyCatalog,
  deleteNamespace,
  EventProducer,
  eventRegistry,
  ExactlyOnceProcessor,
  HEADER,
  TopicReader,
  type InputRecord,
  type ResearchTask,
  type TopicName,
} from '@paxfleet/events';
import { createKafka, kafkaConnectionFromEnv, type Admin, type Kafka } from '@paxfleet/kafka';
import { eventually, uniqueName } from '@paxfleet/kafka/testing';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import { listDeadLetters, showDeadLetter, type DeadLetterRow } from './dead-letters.ts';
import { readDeadLetters } from './read.ts';
import { REDRIVEN_FROM_HEADER, redriveDeadLetters, type RedriveResult } from './redrive.ts';

// Real dead letters from a real processor, in a Kafka namespace of the test's own (so every
// name the tools use goes through the registry's physical names): a handler that fails on
// tasks until it is "fixed", and records that are not Avro at all.
const namespace = uniqueName('dlq').replace(/[^A-Za-z0-9_-]/g, '-');
const registry = eventRegistry({ namespace });
const connection = kafkaConnectionFromEnv(process.env, 'dead-letters-test');
const kafka: Kafka = createKafka(connection);
let admin: Admin;
let processor: ExactlyOnceProcessor<'research-tasks' | 'research-events'>;
let broken = true;
const handled: InputRecord<'research-tasks' | 'research-events'>[] = [];

const task = (name: string): ResearchTask => ({
  task_id: name,
  workflow_id: `workflow_${name}`,
  topic: `topic-${name}`,
  brief: 'dead letter test',
  requested_by: 'dead-letters-test',
  requested_at: Date.now(),
});
const POISONED = ['a', 'd1', 'd2', 'd3'].map(task);

async function readTopic(topic: TopicName) {
  const reader = new TopicReader(connection, registry, { clientId: 'dead-letters-test-reader' });
  const records: { key: string | undefined; headers: Record<string, Buffer>; value: unknown }[] =
    [];
  await reader.connect();
  try {
    await reader.readToEnd(
      await reader.everyPartition(topic),
      () => {},
      // Every record, decodable or not, with its raw bytes.
      (record) => {
        records.push({
          key: record.key?.toString('utf8'),
          headers: { ...record.headers },
          value: record.value,
        });
        return false;
      },
    );
  } finally {
    await reader.close();
  }
  return records;
}

async function copiesOf(id: string) {
  return (await readTopic('research-tasks')).filter(
    (record) => record.headers[REDRIVEN_FROM_HEADER]?.toString('utf8') === id,
  );
}

function letterFor(rows: readonly DeadLetterRow[], workflowId: string): DeadLetterRow {
  const row = rows.find((candidate) => candidate.workflowId === workflowId);
  assert.ok(row, `a dead letter of ${workflowId}: ${JSON.stringify(rows)}`);
  return row;
}

describe('dead letters: list, show and redrive on the real broker', { timeout: 240_000 }, () => {
  let startedAt: number;

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    const configs = new TopicConfigAdmin(connection);
    await applyCatalog(admin, configs, registry.catalog, {
      ...(await configs.cluster()),
      namespace,
    });
    await configs.close();
    startedAt = Date.now();
    processor = new ExactlyOnceProcessor({
      kafka,
      registry,
      agent: 'research',
      groupId: 'paxfleet-dead-letters-test',
      transactionalId: 'paxfleet-dead-letters-test-0',
      topics: ['research-tasks', 'research-events'],
      maxAttempts: 2,
      transform: (record) => {
        handled.push(record);
        if (broken) throw new Error(`handler bug on ${record.key ?? ''}`);
        return Promise.resolve();
      },
    });
    await processor.start();
    const producer = new EventProducer({ kafka, registry, agent: 'dead-letters-test' });
    await producer.connect();
    for (const value of POISONED)
      await producer.send('research-tasks', value.topic, value, { workflowId: value.workflow_id });
    await producer.disconnect();
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({
      topic: registry.physicalTopic('research-tasks'),
      messages: [
        {
          key: 'raw-task',
          value: Buffer.from([0x6e, 0x6f, 0x00, 0xff]),
          headers: { [HEADER.workflowId]: 'workflow_raw', binary: Buffer.from([0x00, 0xfe]) },
        },
      ],
    });
    await raw.send({
      topic: registry.physicalTopic('research-events'),
      messages: [
        { key: 'raw-event', value: 'not avro', headers: { [HEADER.workflowId]: 'workflow_event' } },
      ],
    });
    await raw.disconnect();
    const read = await eventually(
      () => readDeadLetters(connection, registry),
      (letters) => letters.letters.length >= POISONED.length + 2,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.equal(read.letters.length, POISONED.length + 2, 'one dead letter per failing record');
    // The cause is fixed: what is re-driven from here on is handled.
    broken = false;
  });

  after(async () => {
    await processor?.stop();
    await deleteNamespace(admin, namespace);
    await admin.disconnect();
  });

  it('lists every dead letter with its source, error, workflow and no redrive; filters by topic, error, time and count', async () => {
    const { rows, undecodable } = await listDeadLetters(connection, registry);
    assert.deepEqual(undecodable, []);
    assert.equal(rows.length, POISONED.length + 2);
    const a = letterFor(rows, 'workflow_a');
    assert.match(a.id, /^\d+:\d+$/);
    assert.equal(a.sourceTopic, 'research-tasks', "the catalog's name, not the namespace's");
    assert.equal(a.errorCode, 'PROCESSING_FAILED');
    assert.match(a.errorMessage, /handler bug on topic-a/);
    assert.equal(a.failedBy, 'research');
    assert.equal(a.attempts, 2);
    assert.ok(a.failedAt >= startedAt);
    assert.equal(a.redrive, undefined);
    assert.equal(letterFor(rows, 'workflow_raw').errorCode, 'DECODE_NOT_SINGLE_OBJECT');

    const events = await listDeadLetters(connection, registry, { sourceTopic: 'research-events' });
    assert.deepEqual(
      events.rows.map((row) => row.workflowId),
      ['workflow_event'],
    );
    const decoding = await listDeadLetters(connection, registry, {
      errorCode: 'DECODE_NOT_SINGLE_OBJECT',
    });
    assert.deepEqual(decoding.rows.map((row) => row.workflowId).sort(), [
      'workflow_event',
      'workflow_raw',
    ]);
    const newest = await listDeadLetters(connection, registry, { limit: 2 });
    assert.deepEqual(newest.rows, rows.slice(-2), 'the newest two, oldest first');
    const later = await listDeadLetters(connection, registry, { since: Date.now() + 60_000 });
    assert.deepEqual(later.rows, []);
    const since = await listDeadLetters(connection, registry, { since: startedAt });
    assert.equal(since.rows.length, rows.length);
  });

  it('shows one dead letter whole: decoded when its value decodes, the decode error when not, headers as text where printable', async () => {
    const { rows } = await listDeadLetters(connection, registry);
    const a = await showDeadLetter(connection, registry, letterFor(rows, 'workflow_a').id);
    assert.equal(a.key?.text, 'topic-a');
    assert.equal(a.headers[HEADER.workflowId]?.text, 'workflow_a');
    assert.equal(a.headers[HEADER.producer]?.text, 'dead-letters-test');
    assert.ok(a.decodedValue.decoded);
    assert.equal((a.decodedValue.value as ResearchTask).task_id, 'a');
    assert.ok(a.value && Buffer.from(a.value.base64, 'base64').length === a.value.size);

    const raw = await showDeadLetter(connection, registry, letterFor(rows, 'workflow_raw').id);
    assert.equal(raw.decodedValue.decoded, false);
    assert.ok(!raw.decodedValue.decoded && /DECODE_NOT_SINGLE_OBJECT/.test(raw.decodedValue.error));
    assert.equal(raw.value?.text, undefined, 'bytes that are not text are base64 only');
    assert.equal(raw.value?.base64, Buffer.from([0x6e, 0x6f, 0x00, 0xff]).toString('base64'));
    assert.equal(raw.headers.binary?.text, undefined);
    assert.equal(raw.headers.binary?.base64, Buffer.from([0x00, 0xfe]).toString('base64'));

    await assert.rejects(showDeadLetter(connection, registry, '0:999999'), {
      code: 'DEAD_LETTER_NOT_FOUND',
    });
    await assert.rejects(showDeadLetter(connection, registry, 'research-tasks/0'), {
      code: 'DEAD_LETTER_ID_INVALID',
      message: /<partition>:<offset>/,
    });
  });

  it('re-drives a dead letter once: the same key, value and headers on the source topic with the marker header, handled now; a second redrive publishes nothing', async () => {
    const { rows } = await listDeadLetters(connection, registry);
    const row = letterFor(rows, 'workflow_a');
    const before = await showDeadLetter(connection, registry, row.id);
    const [result] = await redriveDeadLetters(connection, registry, [row.id], { by: 'alice' });
    assert.equal(result?.status, 'redriven');
    assert.ok(result?.status === 'redriven' && result.redrive.by === 'alice');

    const copies = await copiesOf(row.id);
    assert.equal(copies.length, 1);
    const [copy] = copies;
    assert.equal(copy?.key, 'topic-a');
    assert.equal((copy?.value as Buffer).toString('base64'), before.value?.base64);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(copy?.headers ?? {}).map(([name, bytes]) => [
          name,
          bytes.toString('base64'),
        ]),
      ),
      {
        ...Object.fromEntries(
          Object.entries(before.headers).map(([name, shown]) => [name, shown.base64]),
        ),
        [REDRIVEN_FROM_HEADER]: Buffer.from(row.id).toString('base64'),
      },
    );
    await eventually(
      () => handled.filter((record) => record.headers[REDRIVEN_FROM_HEADER] === row.id).length,
      (count) => count === 1,
      { timeoutMs: 30_000 },
    );

    const again = await redriveDeadLetters(connection, registry, [row.id], { by: 'bob' });
    assert.equal(again[0]?.status, 'already-redriven');
    assert.ok(again[0]?.status === 'already-redriven' && again[0].redrive.by === 'alice');
    assert.equal((await copiesOf(row.id)).length, 1, 'nothing published the second time');
    const listed = letterFor((await listDeadLetters(connection, registry)).rows, 'workflow_a');
    assert.equal(listed.redrive?.by, 'alice');
    assert.equal(listed.redrive?.topic, 'research-tasks');
    assert.ok((listed.redrive?.offset ?? -1) >= 0, 'where the copy went');
    assert.equal((await showDeadLetter(connection, registry, row.id)).redrive?.by, 'alice');
  });

  it('reports ids dead-letters does not hold as not-found, and refuses an id that is not <partition>:<offset>', async () => {
    const results = await redriveDeadLetters(connection, registry, ['0:999999', '17:0'], {
      by: 'alice',
    });
    assert.deepEqual(results, [
      { id: '0:999999', status: 'not-found' },
      { id: '17:0', status: 'not-found' },
    ]);
    assert.deepEqual(await redriveDeadLetters(connection, registry, [], { by: 'alice' }), []);
    await assert.rejects(redriveDeadLetters(connection, registry, ['1:2', 'x'], { by: 'alice' }), {
      code: 'DEAD_LETTER_ID_INVALID',
    });
  });

  it('two operators re-driving the same letters at once, in two processes, publish each exactly once', async () => {
    const { rows } = await listDeadLetters(connection, registry);
    const ids = ['d1', 'd2', 'd3'].map((name) => letterFor(rows, `workflow_${name}`).id);
    const run = promisify(execFile);
    const operator = (by: string, order: readonly string[]) =>
      run(
        process.execPath,
        [
          '--conditions=paxfleet-source',
          new URL('testing/redrive-process.ts', import.meta.url).pathname,
          ...order,
        ],
        { env: { ...process.env, KAFKA_NAMESPACE: namespace, REDRIVE_BY: by } },
      ).then(({ stdout }) => JSON.parse(stdout) as RedriveResult[]);
    const [first, second] = await Promise.all([
      operator('carol', ids),
      operator('dave', [...ids].reverse()),
    ]);
    for (const id of ids) {
      const statuses = [...(first ?? []), ...(second ?? [])]
        .filter((result) => result.id === id)
        .map((result) => result.status)
        .sort();
      assert.deepEqual(
        statuses,
        ['already-redriven', 'redriven'],
        `${id}: one of them re-drove it`,
      );
      assert.equal((await copiesOf(id)).length, 1, `${id} is on research-tasks once`);
    }
    const markers = (await readTopic('dead-letter-redrives')).filter((record) =>
      ids.includes(record.key ?? ''),
    );
    assert.equal(markers.length, ids.length, 'one marker per letter');
  });
});
