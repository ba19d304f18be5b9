import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBlobStore } from '@paxfleet/events/testing';
import { lookUpWorkflow } from './archive-lookup.ts';
import { archiveObjectKey } from './archive-keys.ts';
import { encodeArchiveObject, type ArchivedRecord } from './archive-object.ts';
import { workflowIndexEntries } from './workflow-index.ts';

const record = (
  topic: string,
  partition: number,
  offset: number,
  workflow: string,
): ArchivedRecord => ({
  topic,
  partition,
  offset,
  timestamp: 1_000 + offset,
  key: null,
  value: Buffer.from(`${workflow}@${offset}`),
  headers: [{ key: 'workflow-id', value: Buffer.from(workflow) }],
});

/** Writes the records as the archiver does: index entries, then one object per 10 offsets. */
async function archive(store: MemoryBlobStore, records: readonly ArchivedRecord[]) {
  const groups = Map.groupBy(
    records,
    (r) => `${r.topic}/${r.partition}/${Math.floor(r.offset / 10)}`,
  );
  for (const group of groups.values()) {
    const [first] = group as [ArchivedRecord];
    const range = {
      topic: first.topic,
      partition: first.partition,
      firstOffset: first.offset,
      lastOffset: (group.at(-1) as ArchivedRecord).offset,
    };
    for (const entry of workflowIndexEntries(range, group)) await store.put(entry.key, entry.body);
    await store.put(archiveObjectKey(range), await encodeArchiveObject(group));
  }
}

describe('looking up a workflow in the archive', () => {
  it('reads only the objects that hold it, among many', async () => {
    const store = new MemoryBlobStore();
    const records: ArchivedRecord[] = [];
    // 200 workflows, 3 partitions of two topics, 400 records per partition: 240 objects.
    for (const topic of ['research-events', 'agent-activity'])
      for (let partition = 0; partition < 3; partition += 1)
        for (let offset = 0; offset < 400; offset += 1)
          records.push(
            record(topic, partition, offset, `workflow_${(offset * 7 + partition) % 200}`),
          );
    await archive(store, records);
    const wanted = 'workflow_42';
    const lookup = await lookUpWorkflow(store, ['research-events', 'agent-activity'], wanted);
    const expected = records.filter((r) => r.value?.toString().startsWith(`${wanted}@`));
    const id = (r: ArchivedRecord) => `${r.topic}/${r.partition}/${r.offset}`;
    assert.deepEqual(lookup.records.map(id).sort(), expected.map(id).sort());
    assert.deepEqual(
      lookup.records.map(id),
      [...lookup.records]
        .sort(
          (a, b) =>
            a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
        )
        .map(id),
      'in topic, partition, offset order',
    );
    const holding = new Set(
      expected.map((r) => `${r.topic}/${r.partition}/${Math.floor(r.offset / 10)}`),
    );
    assert.equal(lookup.objectsRead, holding.size, 'one read per object that holds the workflow');
    assert.ok(lookup.objectsRead <= 12, `a few of the 240 objects (${lookup.objectsRead})`);
  });

  it('skips an index entry whose object a crash left unwritten, and a workflow it never saw', async () => {
    const store = new MemoryBlobStore();
    const range = { topic: 'research-events', partition: 0, firstOffset: 0, lastOffset: 0 };
    for (const entry of workflowIndexEntries(range, [
      record('research-events', 0, 0, 'workflow_x'),
    ]))
      await store.put(entry.key, entry.body);
    assert.deepEqual(await lookUpWorkflow(store, ['research-events'], 'workflow_x'), {
      records: [],
      objectsRead: 0,
      indexEntries: 1,
    });
    assert.equal((await lookUpWorkflow(store, ['research-events'], 'workflow_y')).indexEntries, 0);
  });
});
