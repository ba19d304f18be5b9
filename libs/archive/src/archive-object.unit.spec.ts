import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archiveObjectKey, parseArchiveObjectKey } from './archive-keys.ts';
import { decodeArchiveObject, encodeArchiveObject, type ArchivedRecord } from './archive-object.ts';

const records: ArchivedRecord[] = [
  {
    topic: 'research-events',
    partition: 3,
    offset: 41,
    timestamp: Date.parse('2026-12-01T10:00:00Z'),
    key: Buffer.from('agent-observability'),
    value: Buffer.from([0xc3, 0x01, 1, 2, 3]),
    headers: [
      { key: 'workflow-id', value: Buffer.from('workflow_abc') },
      { key: 'empty', value: null },
    ],
  },
  {
    topic: 'research-events',
    partition: 3,
    offset: 44,
    timestamp: Date.parse('2026-12-01T10:00:01Z'),
    key: null,
    value: null,
    headers: [],
  },
];

describe('archive objects', () => {
  it('round-trip every field of every record', async () => {
    assert.deepEqual(await decodeArchiveObject(await encodeArchiveObject(records)), records);
  });

  it('are the same bytes when written again (a rewrite after a crash changes nothing)', async () => {
    const once = await encodeArchiveObject(records);
    assert.ok(
      once.subarray(0, 4).equals(Buffer.from('Obj\x01', 'latin1')),
      'an Avro container file',
    );
    assert.ok(once.equals(await encodeArchiveObject(records)));
  });

  it('hold one partition in ascending offsets', async () => {
    await assert.rejects(
      encodeArchiveObject([records[1] as ArchivedRecord, records[0] as ArchivedRecord]),
      /ARCHIVE_RECORDS_INVALID: offsets must ascend: 41 after 44/,
    );
    await assert.rejects(
      encodeArchiveObject([
        records[0] as ArchivedRecord,
        { ...(records[1] as ArchivedRecord), partition: 4 },
      ]),
      /one partition: research-events\[4\] beside research-events\[3\]/,
    );
    await assert.rejects(encodeArchiveObject([]), /at least one record/);
  });

  it('refuse bytes that are no container file', async () => {
    await assert.rejects(decodeArchiveObject(Buffer.from('not avro')), /ARCHIVE_OBJECT_INVALID/);
  });

  it('are named by topic, partition and offset range, and the name parses back', () => {
    const range = { topic: 'research-events', partition: 3, firstOffset: 41, lastOffset: 44 };
    const key = archiveObjectKey(range);
    assert.equal(key, 'archive/research-events/3/00000000000000000041-00000000000000000044.avro');
    assert.deepEqual(parseArchiveObjectKey(key), range);
    assert.equal(parseArchiveObjectKey('archive/research-events/3/head.json'), undefined);
  });
});
