import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArchivedRecord } from '@paxfleet/archive';
import { PartitionBuffer } from './partition-buffer.ts';

const record = (offset: number): ArchivedRecord => ({
  topic: 'research-events',
  partition: 0,
  offset,
  timestamp: 1000 + offset,
  key: null,
  value: Buffer.from([offset]),
  headers: [],
});

describe('a partition buffer', () => {
  it('takes nothing the archive already holds, and nothing twice', () => {
    const buffer = new PartitionBuffer('research-events', 0, 41);
    assert.equal(buffer.add(record(40), 0), false);
    assert.equal(buffer.add(record(41), 0), false);
    assert.equal(buffer.add(record(42), 0), true);
    assert.equal(buffer.add(record(42), 0), false, 'a re-fetch after a seek');
    assert.equal(
      buffer.add(record(45), 0),
      true,
      'gaps (transaction markers, aborted records) are fine',
    );
    assert.equal(buffer.nextOffset, 46);
  });

  it('is due by size or by age, whichever first', () => {
    const buffer = new PartitionBuffer('research-events', 0, -1);
    assert.equal(buffer.due(0, 2, 1000), false, 'empty');
    buffer.add(record(0), 100);
    assert.equal(buffer.due(500, 2, 1000), false);
    assert.equal(buffer.due(1100, 2, 1000), true, 'by age');
    buffer.add(record(1), 600);
    assert.equal(buffer.due(600, 2, 1000), true, 'by size');
  });

  it('moves its archive end when an object is written, keeping what came after', () => {
    const buffer = new PartitionBuffer('research-events', 0, -1);
    for (const offset of [0, 1, 2]) buffer.add(record(offset), 0);
    buffer.archived(2);
    assert.equal(buffer.archivedEnd, 1);
    assert.deepEqual(
      buffer.pending().map((taken) => taken.offset),
      [2],
    );
    assert.equal(buffer.add(record(1), 0), false);
  });
});
