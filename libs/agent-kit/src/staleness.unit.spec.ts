import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StalenessGuard, describeAge } from './staleness.ts';

const hour = 3_600_000;

describe('StalenessGuard', () => {
  it('passes a fresh event and skips one older than the limit, saying how old', async () => {
    const guard = new StalenessGuard<{ timestamp: number }>(10 * 60_000, { kind: 'skip' });
    assert.equal((await guard.judge({ timestamp: 1000 }, 1000 + 60_000)).stale, false);
    const verdict = await guard.judge({ timestamp: 0 }, 12 * hour);
    assert.equal(verdict.stale, true);
    assert.equal(verdict.ageMs, 12 * hour);
    assert.equal(verdict.reason, 'event is 12 h old, over the 10 min limit');
  });

  it('acts on an old event only if the recheck finds it still current', async () => {
    let latest = true;
    const guard = new StalenessGuard<{ timestamp: number }>(1000, {
      kind: 'recheck',
      stillCurrent: () => latest,
    });
    assert.equal((await guard.judge({ timestamp: 0 }, 5000)).stale, false);
    latest = false;
    const verdict = await guard.judge({ timestamp: 0 }, 5000);
    assert.equal(verdict.stale, true);
    assert.match(verdict.reason, /superseded/);
  });

  it('describes ages for people', () => {
    assert.deepEqual([500, 45_000, 600_000, 12 * hour].map(describeAge), [
      '500 ms',
      '45 s',
      '10 min',
      '12 h',
    ]);
  });
});
