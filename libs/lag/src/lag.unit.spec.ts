import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageSeconds, mayLag, partitionLag, resumePosition } from './lag.ts';

const now = 1_700_000_000_000;

describe('partitionLag', () => {
  it('is the last stable offset minus the committed offset', () => {
    const lag = partitionLag({
      committed: 40,
      low: 0,
      lastStable: 100,
      oldest: { offset: 40, timestamp: now - 12_500 },
      now,
    });
    assert.deepEqual(lag, { position: 40, messages: 60, seconds: 12.5 });
  });

  it('counts from the low watermark where the group has no commit', () => {
    for (const committed of [undefined, -1, -1001]) {
      const lag = partitionLag({ committed, low: 7, lastStable: 10, oldest: undefined, now });
      assert.deepEqual(lag, { position: 7, messages: 3, seconds: undefined });
    }
  });

  it('counts from the low watermark when retention deleted what the group had not read', () => {
    const lag = partitionLag({ committed: 3, low: 20, lastStable: 25, oldest: undefined, now });
    assert.equal(lag.position, 20);
    assert.equal(lag.messages, 5);
  });

  it('is never negative: a commit past the last stable offset (an open transaction) reads 0', () => {
    const lag = partitionLag({ committed: 12, low: 0, lastStable: 10, oldest: undefined, now });
    assert.deepEqual(lag, { position: 12, messages: 0, seconds: 0 });
  });

  it('is 0 messages and 0 seconds when drained', () => {
    const lag = partitionLag({ committed: 10, low: 0, lastStable: 10, oldest: undefined, now });
    assert.deepEqual(lag, { position: 10, messages: 0, seconds: 0 });
  });

  it('is 0 when only transaction markers lie between the commit and the last stable offset', () => {
    // Five records at 0..4, the commit marker at 5: a group that read them all committed 5.
    const lag = partitionLag({ committed: 5, low: 0, lastStable: 6, oldest: null, now });
    assert.deepEqual(lag, { position: 5, messages: 0, seconds: 0 });
  });

  it('starts counting at the oldest unconsumed record, past markers and aborted records', () => {
    const lag = partitionLag({
      committed: 5,
      low: 0,
      lastStable: 12,
      oldest: { offset: 8, timestamp: now - 1000 },
      now,
    });
    assert.deepEqual(lag, { position: 5, messages: 4, seconds: 1 });
  });

  it('reads a record committed after the offsets were fetched as drained', () => {
    const lag = partitionLag({
      committed: 5,
      low: 0,
      lastStable: 6,
      oldest: { offset: 6, timestamp: now - 1000 },
      now,
    });
    assert.deepEqual(lag, { position: 5, messages: 0, seconds: 0 });
  });

  it('leaves seconds unknown for a record without a timestamp', () => {
    const lag = partitionLag({
      committed: 0,
      low: 0,
      lastStable: 2,
      oldest: { offset: 0, timestamp: -1 },
      now,
    });
    assert.deepEqual(lag, { position: 0, messages: 2, seconds: undefined });
  });
});

describe('ageSeconds', () => {
  it('is never negative when the producer clock is ahead', () => {
    assert.equal(ageSeconds(now + 5000, now), 0);
  });
  it('is unknown without a timestamp', () => {
    assert.equal(ageSeconds(-1, now), undefined);
  });
});

describe('resumePosition and mayLag', () => {
  it('resume at the commit, or the low watermark without one', () => {
    assert.equal(resumePosition(undefined, 4), 4);
    assert.equal(resumePosition(9, 4), 9);
    assert.equal(resumePosition(2, 4), 4);
  });
  it('only a position below the last stable offset can lag', () => {
    assert.equal(mayLag(10, 0, 10), false);
    assert.equal(mayLag(undefined, 10, 10), false);
    assert.equal(mayLag(9, 0, 10), true);
  });
});
