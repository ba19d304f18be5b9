import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  decodeArchiveObject,
  lookUpWorkflow,
  parseArchiveObjectKey,
  type ArchivedRecord,
} from '@paxfleet/archive';
import { FileBlobStore } from '@paxfleet/events';
import { isolatedTopics, startWorker } from '@paxfleet/events/testing';
import { kafkaConnectionFromEnv, PartitionReader } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName, withAdmin } from '@paxfleet/kafka/testing';

const kafka = testKafka('archiver-test');
const dir = mkdtempSync(join(tmpdir(), 'paxfleet-archive-'));
/** Archivers this file started: none outlives it, whatever fails. */
const workers = new Set<ReturnType<typeof startWorker>>();
after(() => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
function startArchiver(env: Readonly<Record<string, string>>) {
  const worker = startWorker(new URL('./testing/archiver-process.ts', import.meta.url), env);
  workers.add(worker);
  worker.child.once('exit', () => workers.delete(worker));
  return worker;
}

/** Every record the archive's objects hold, and the objects' ranges. */
async function archiveContents(store: FileBlobStore, prefix: string) {
  const records: ArchivedRecord[] = [];
  const ranges: { topic: string; partition: number; firstOffset: number; lastOffset: number }[] =
    [];
  for await (const blob of store.list(prefix)) {
    const range = parseArchiveObjectKey(blob.key);
    if (!range) continue;
    ranges.push(range);
    records.push(...(await decodeArchiveObject(await store.get(store.refOf(blob.key)))));
  }
  return { records, ranges };
}

/** What a read_committed reader finds on the topics, from their first records to their ends. */
async function committedRecords(topics: readonly string[]) {
  const reader = new PartitionReader(
    kafkaConnectionFromEnv(process.env, uniqueName('archive-check')),
  );
  const found: { id: string; value: string; workflow?: string }[] = [];
  try {
    await reader.connect();
    for (const topic of topics) {
      const partitions = await reader.partitionCount(topic);
      await reader.readToEnd(
        Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
        (record) =>
          found.push({
            id: `${record.topic}/${record.partition}/${record.offset}`,
            value: record.value?.toString('hex') ?? '',
            ...(record.headers['workflow-id'] && {
              workflow: record.headers['workflow-id'].toString('utf8'),
            }),
          }),
      );
    }
  } finally {
    await reader.close();
  }
  return found;
}

describe('the archiver', { timeout: 240_000 }, () => {
  it('SIGKILLed three times while records flow: every committed record archived exactly once, aborted ones never, and still found by workflow once the broker let them go', async () => {
    const topics = isolatedTopics(['research-events', 'agent-activity']);
    await topics.create(kafka);
    const names = [topics.names['research-events'], topics.names['agent-activity']];
    const group = uniqueName('archiver-crash');
    const archiveDir = join(dir, 'crash');
    const env = {
      ARCHIVE_TOPICS: JSON.stringify(names),
      ARCHIVE_GROUP: group,
      ARCHIVE_DIR: archiveDir,
      ARCHIVE_MAX_RECORDS: '50',
      ARCHIVE_FLUSH_MS: '100',
    };

    const producer = kafka.producer({ 'linger.ms': 5 });
    const aborting = kafka.producer({ 'transactional.id': uniqueName('archive-aborts') });
    await producer.connect();
    await aborting.connect();
    let sent = 0;
    let batches = 0;
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        batches += 1;
        await producer.send({
          topic: names[batches % 2] as string,
          messages: Array.from({ length: 20 }, (_, index) => ({
            key: `key-${(sent + index) % 13}`,
            value: `record-${sent + index}`,
            headers: { 'workflow-id': `workflow_${(sent + index) % 7}` },
          })),
        });
        sent += 20;
        if (sent % 400 === 0) {
          // Records that never commit: a read_committed archiver must not archive them.
          const transaction = await aborting.transaction();
          await transaction.send({
            topic: names[0] as string,
            messages: [{ key: 'aborted', value: `aborted-${sent}` }],
          });
          await transaction.abort();
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    let worker = startArchiver(env);
    await worker.ready;
    for (let kill = 0; kill < 3; kill += 1) {
      await new Promise((resolve) => setTimeout(resolve, 700 + Math.random() * 900));
      worker.child.kill('SIGKILL');
      await once(worker.child, 'exit');
      worker = startArchiver(env);
      await worker.ready;
    }
    flowing = false;
    await flow;
    await producer.disconnect();
    await aborting.disconnect();

    const expected = await committedRecords(names);
    assert.ok(expected.length >= 1000, `records flowed during the kills (${expected.length})`);
    assert.ok(
      !expected.some(({ value }) => Buffer.from(value, 'hex').toString().startsWith('aborted')),
    );
    const store = new FileBlobStore(archiveDir);
    const archived = await eventually(
      () => archiveContents(store, 'archive/'),
      ({ records }) => records.length >= expected.length,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    worker.child.kill('SIGTERM');
    await once(worker.child, 'exit');

    const ids = archived.records.map(
      (record) => `${record.topic}/${record.partition}/${record.offset}`,
    );
    assert.equal(new Set(ids).size, ids.length, 'no record archived twice');
    assert.deepEqual(
      archived.records
        .map((record) => ({
          id: `${record.topic}/${record.partition}/${record.offset}`,
          value: record.value?.toString('hex') ?? '',
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      expected.map(({ id, value }) => ({ id, value })).sort((a, b) => a.id.localeCompare(b.id)),
      'the archive holds exactly the committed records, bytes unchanged',
    );
    const lookup = await lookUpWorkflow(store, names, 'workflow_3');
    assert.deepEqual(
      lookup.records.map((record) => `${record.topic}/${record.partition}/${record.offset}`).sort(),
      expected
        .filter(({ workflow }) => workflow === 'workflow_3')
        .map(({ id }) => id)
        .sort(),
      'the workflow index finds every record of a workflow',
    );
    const byPartition = Map.groupBy(
      archived.ranges,
      (range) => `${range.topic}/${range.partition}`,
    );
    for (const [partition, ranges] of byPartition) {
      const sorted = ranges.sort((a, b) => a.firstOffset - b.firstOffset);
      for (let index = 1; index < sorted.length; index += 1) {
        assert.ok(
          (sorted[index] as { firstOffset: number }).firstOffset >
            (sorted[index - 1] as { lastOffset: number }).lastOffset,
          `${partition}: objects do not overlap`,
        );
      }
    }
    // The broker lets the records go (what retention does, here at once): the log start
    // moves past every record, and the workflow's history is still whole in the archive.
    await withAdmin(kafka, async (admin) => {
      for (const topic of names) {
        const partitions = (await admin.fetchTopicOffsets(topic)).map(({ partition }) => ({
          partition,
          offset: '-1',
        }));
        await admin.deleteTopicRecords({ topic, partitions });
      }
    });
    const reader = new PartitionReader(
      kafkaConnectionFromEnv(process.env, uniqueName('archive-gone')),
    );
    try {
      await reader.connect();
      for (const topic of names) {
        for (const [partition, { low, high }] of await reader.watermarks(topic))
          assert.equal(low, high, `${topic}[${partition}]: the broker no longer holds a record`);
      }
    } finally {
      await reader.close();
    }
    assert.equal((await committedRecords(names)).length, 0, 'nothing left to read on the broker');
    const afterDeletion = await lookUpWorkflow(store, names, 'workflow_3');
    assert.deepEqual(
      afterDeletion.records,
      lookup.records,
      'the archive still has the whole workflow',
    );
    console.log(
      `archiver crash test: ${expected.length} committed records, ${archived.ranges.length} objects, 3 kills, 0 duplicates, 0 missing; workflow_3 looked up: ${lookup.records.length} records from ${lookup.objectsRead} objects`,
    );
  });
});
