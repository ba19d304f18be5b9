import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDoneBeyond, encodeDoneBeyond, PartitionProgress } from './partition-progress.ts';
import { KeySequencer, WorkWindow } from './work-window.ts';

describe('PartitionProgress', () => {
  it('commits the first open offset and names the done ones beyond it', () => {
    const progress = new PartitionProgress(10);
    for (const offset of [10, 11, 13, 14]) assert.ok(progress.deliver(offset));
    progress.stage(11);
    progress.stage(14);
    const position = progress.position();
    assert.equal(position.offset, 10, '10 is still running');
    assert.deepEqual([...decodeDoneBeyond(10, position.metadata)], [11, 14]);
    assert.equal(progress.position(false).metadata, '', 'staged is not done until it commits');
    progress.commitStaged();
    progress.stage(10);
    progress.commitStaged();
    const after = progress.position();
    assert.equal(after.offset, 13, '10 and 11 done; 12 was never delivered (a commit marker)');
    assert.deepEqual([...decodeDoneBeyond(13, after.metadata)], [14]);
    progress.stage(13);
    progress.commitStaged();
    assert.deepEqual(progress.position(), { offset: 15, metadata: '' });
  });

  it('after a restart, skips exactly the offsets the metadata names and nothing else', () => {
    const before = new PartitionProgress(100);
    for (let offset = 100; offset < 110; offset += 1) before.deliver(offset);
    for (const offset of [101, 104, 109]) before.stage(offset);
    before.commitStaged();
    const committed = before.position();
    const restarted = new PartitionProgress(committed.offset, committed.metadata);
    const skipped = [];
    for (let offset = 100; offset < 110; offset += 1) {
      if (restarted.deliver(offset) && restarted.alreadyDone(offset)) skipped.push(offset);
    }
    assert.deepEqual(skipped, [101, 104, 109]);
    for (const offset of [100, 102, 103, 105, 106, 107, 108]) restarted.stage(offset);
    restarted.commitStaged();
    assert.deepEqual(restarted.position(), { offset: 110, metadata: '' });
  });

  it('refuses an offset twice or behind the start, so a re-fetch never runs an event twice', () => {
    const progress = new PartitionProgress(5);
    assert.equal(progress.deliver(4), false);
    assert.equal(progress.deliver(5), true);
    assert.equal(progress.deliver(5), false);
    assert.throws(() => progress.stage(6), /PROCESSOR_FAILED/);
  });

  it('an aborted transaction leaves its offsets open', () => {
    const progress = new PartitionProgress(0);
    progress.deliver(0);
    progress.stage(0);
    progress.unstage();
    assert.equal(progress.open, 1);
    assert.equal(progress.position().offset, 0);
  });

  it('the metadata for 16384 offsets fits the broker default of 4096 bytes; foreign metadata is ignored', () => {
    const done = Array.from({ length: 16_384 }, (_, index) => 1 + index * 1);
    assert.ok(encodeDoneBeyond(0, done).length < 4096);
    assert.deepEqual([...decodeDoneBeyond(0, 'written by someone else')], []);
  });
});

describe('WorkWindow', () => {
  it('admits up to its capacity, then waits for a release', async () => {
    const window = new WorkWindow(2);
    assert.equal(await window.admit(), true);
    assert.equal(await window.admit(), true);
    assert.ok(window.full);
    let third = false;
    const waiting = window.admit().then((admitted) => (third = admitted));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, false, 'a full window holds the next event back');
    window.release();
    await waiting;
    assert.equal(third, true);
    assert.equal(window.size, 2);
  });

  it('an abort releases a waiter without taking room; idle resolves when all is released', async () => {
    const window = new WorkWindow(1);
    await window.admit();
    const stop = new AbortController();
    const waiting = window.admit(stop.signal);
    stop.abort();
    assert.equal(await waiting, false);
    const idle = window.idle();
    window.release();
    await idle;
    assert.equal(window.size, 0);
  });
});

describe('KeySequencer', () => {
  it('runs one key in order and other keys at the same time', async () => {
    const sequencer = new KeySequencer();
    const log: string[] = [];
    const step = (name: string, ms: number) => () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          log.push(name);
          resolve();
        }, ms),
      );
    await Promise.all([
      sequencer.run('a', step('a1', 30)),
      sequencer.run('a', step('a2', 1)),
      sequencer.run('b', step('b1', 10)),
      sequencer.run('a', () => Promise.reject(new Error('a3 fails'))).catch(() => log.push('a3')),
      sequencer.run('a', step('a4', 1)),
    ]);
    assert.deepEqual(log, ['b1', 'a1', 'a2', 'a3', 'a4']);
    assert.equal(sequencer.keys, 0);
  });
});
