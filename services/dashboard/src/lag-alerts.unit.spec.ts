import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONSUMER_LAGGING, groupLags, PROGRESS_SILENT_AFTER_MS } from './lag-alerts.ts';

const alerts = readFileSync(
  new URL('../../../helm/paxfleet/files/alerts.yml', import.meta.url),
  'utf8',
);

/** The lines of one rule of alerts.yml, from its `- alert:` to the next. */
function rule(name: string): string {
  const start = alerts.indexOf(`- alert: ${name}`);
  assert.ok(start >= 0, `alerts.yml has ${name}`);
  const next = alerts.indexOf('- alert:', start + 1);
  return alerts.slice(start, next < 0 ? undefined : next);
}

describe('lag alert state', () => {
  it('uses the thresholds of helm/paxfleet/files/alerts.yml', () => {
    const lagging = rule('ConsumerLagging');
    assert.match(lagging, /kafka_consumer_lag_seconds\) > (\d+)/);
    assert.equal(Number(/kafka_consumer_lag_seconds\) > (\d+)/.exec(lagging)?.[1]), 300);
    assert.equal(CONSUMER_LAGGING.seconds, 300);
    assert.match(lagging, /for: 5m/);
    assert.equal(CONSUMER_LAGGING.forMs, 300_000);
    const silent = rule('AgentStoppedReportingProgress');
    const seconds = Number(/reported_timestamp_seconds > (\d+)/.exec(silent)?.[1]);
    assert.equal(PROGRESS_SILENT_AFTER_MS, seconds * 1000);
  });

  it('is ok under the threshold, pending over it, firing once over it for 5 minutes', () => {
    const rows = (seconds: number) => [
      { group: 'g', messages: 3, seconds: 1 },
      { group: 'g', messages: 4, seconds },
    ];
    const first = groupLags(rows(100), new Map(), 0);
    assert.deepEqual(first.get('g'), { group: 'g', messages: 7, seconds: 100, alert: 'ok' });
    const over = groupLags(rows(301), first, 1000);
    assert.equal(over.get('g')?.alert, 'pending');
    assert.equal(groupLags(rows(400), over, 1000 + 299_999).get('g')?.alert, 'pending');
    const firing = groupLags(rows(700), over, 1000 + 300_000);
    assert.equal(firing.get('g')?.alert, 'firing');
    assert.equal(groupLags(rows(10), firing, 400_000).get('g')?.alert, 'ok');
    assert.equal(
      groupLags([{ group: 'h', messages: 0, seconds: undefined }], new Map(), 0).get('h')?.alert,
      'ok',
    );
  });
});
