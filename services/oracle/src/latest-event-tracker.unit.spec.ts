import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNewer, LatestEventTracker } from './latest-event-tracker.ts';

const hour = 3_600_000;

describe('isNewer', () => {
  it('trusts the log order within a partition, whatever the producer clocks said', () => {
    assert.equal(
      isNewer(
        { partition: 2, offset: 10, timestamp: 1000 },
        { partition: 2, offset: 9, timestamp: 5000 },
      ),
      true,
    );
    assert.equal(
      isNewer(
        { partition: 2, offset: 9, timestamp: 5000 },
        { partition: 2, offset: 10, timestamp: 1000 },
      ),
      false,
    );
  });

  it('compares timestamps across partitions, a tie being newer for neither', () => {
    assert.equal(
      isNewer(
        { partition: 0, offset: 1, timestamp: 2000 },
        { partition: 1, offset: 50, timestamp: 1000 },
      ),
      true,
    );
    assert.equal(
      isNewer(
        { partition: 0, offset: 1, timestamp: 1000 },
        { partition: 1, offset: 50, timestamp: 1000 },
      ),
      false,
    );
  });
});

describe('LatestEventTracker', () => {
  // The article's timeline: research on one topic at 03:00, again at 14:00.
  const early = { partition: 3, offset: 41, timestamp: 3 * hour };
  const late = { partition: 3, offset: 97, timestamp: 14 * hour };

  it('remembers the newest event per key and says when an event is superseded', () => {
    const tracker = new LatestEventTracker<string>();
    assert.equal(
      tracker.isLatest('kubernetes', early),
      true,
      'nothing seen yet: nothing supersedes it',
    );
    assert.equal(tracker.observe('kubernetes', early, '03:00 analysis'), true);
    assert.equal(tracker.isLatest('kubernetes', early), true);
    assert.equal(tracker.observe('kubernetes', late, '14:00 analysis'), true);
    assert.equal(tracker.isLatest('kubernetes', early), false);
    assert.equal(tracker.isLatest('kubernetes', late), true);
    assert.equal(tracker.latest('kubernetes')?.value, '14:00 analysis');
  });

  it('keeps the newest when events arrive out of order (a reader ahead of the consumer)', () => {
    const tracker = new LatestEventTracker<string>();
    tracker.observe('kubernetes', late, '14:00 analysis');
    assert.equal(tracker.observe('kubernetes', early, '03:00 analysis'), false);
    assert.equal(tracker.latest('kubernetes')?.value, '14:00 analysis');
    assert.equal(tracker.isLatest('kubernetes', early), false);
  });

  it('treats the same event seen twice as still the newest', () => {
    const tracker = new LatestEventTracker<string>();
    tracker.observe('kubernetes', late, 'first delivery');
    assert.equal(tracker.observe('kubernetes', late, 'second delivery'), true);
    assert.equal(tracker.isLatest('kubernetes', late), true);
    assert.equal(tracker.latest('kubernetes')?.value, 'first delivery');
  });

  it('keeps keys apart', () => {
    const tracker = new LatestEventTracker<null>();
    tracker.observe('kubernetes', late, null);
    assert.equal(tracker.isLatest('agent-tracing', early), true);
    assert.equal(tracker.size, 1);
  });
});
