import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bodies } from '@paxfleet/events';
import type { TimelineEntry } from '@paxfleet/timeline';
import { diffRuns, formatDiff, summarizeRun } from './diff.ts';

let offset = 0;
function entry(topic: string, producer: string, eventType: string, value: object): TimelineEntry {
  offset += 1;
  return {
    timestamp: offset,
    topic,
    partition: 0,
    offset,
    key: null,
    eventType,
    producer,
    value,
    source: 'broker',
  };
}

function run(options: { reason: string; keywords: string; resultId: string }): TimelineEntry[] {
  return [
    entry('agent-activity', 'marketing', 'analysis_complete', {
      agent: 'marketing',
      event_type: 'analysis_complete',
      outcome: 'skipped',
      reason: options.reason,
    }),
    entry('content-claims', 'coordinator', 'claim.granted', {
      decision: 'granted',
      work_key: 'content:kafka',
      holder: 'content',
    }),
    entry('content-claims', 'coordinator', 'claim.renewed', {
      decision: 'renewed',
      work_key: 'content:kafka',
      holder: 'content',
    }),
    entry('content-results', 'content', 'content-result', {
      result_id: options.resultId,
      work_key: 'content:kafka',
      title: 'Kafka',
      body: 'the body',
      body_ref: '',
      produced_at: offset,
    }),
    entry('seo-reports', 'seo', 'seo-report', {
      report_id: options.resultId,
      work_key: 'content:kafka',
      keywords: options.keywords,
    }),
    entry('model-calls', 'content', 'model-call', {
      agent: 'content',
      prompt_tokens: 10,
      completion_tokens: 20,
      cost_usd: 0.001,
    }),
  ];
}

const bodies = new Bodies({ inlineMaxBytes: 1000 });

describe('the replay diff', () => {
  it('is empty for the same work done again: ids, times, renewals and claimed-or-completed aside', async () => {
    const original = await summarizeRun(
      run({ reason: 'already claimed by content', keywords: 'kafka', resultId: 'a' }),
      bodies,
    );
    const again = await summarizeRun(
      [
        ...run({ reason: 'already completed by content', keywords: 'kafka', resultId: 'b' }),
        entry('content-claims', 'coordinator', 'claim.renewed', {
          decision: 'renewed',
          work_key: 'content:kafka',
          holder: 'content',
        }),
      ],
      bodies,
    );
    const diff = diffRuns(original, again);
    assert.ok(diff.empty, formatDiff(diff));
    assert.match(formatDiff(diff), /no differences$/);
  });

  it('names the output that changed and nothing else', async () => {
    const original = await summarizeRun(
      run({ reason: 'already claimed by content', keywords: 'kafka', resultId: 'a' }),
      bodies,
    );
    const changed = await summarizeRun(
      run({ reason: 'already claimed by content', keywords: 'streams', resultId: 'a' }),
      bodies,
    );
    const diff = diffRuns(original, changed);
    assert.equal(diff.empty, false);
    assert.deepEqual(
      diff.outputs.map((output) => output.what),
      ['seo-reports seo seo-report'],
    );
    assert.deepEqual(diff.decisions, { missing: [], added: [] });
    assert.match(
      formatDiff(diff),
      /outputs: 1 differ\n {2}~ seo-reports seo seo-report\n {4}keywords: "kafka" -> "streams"\n/,
    );
  });

  it('says a decision the replay did not make, and one it made instead', async () => {
    const original = await summarizeRun(
      run({ reason: 'already claimed by content', keywords: 'kafka', resultId: 'a' }),
      bodies,
    );
    const other = await summarizeRun(
      run({ reason: 'already claimed by sales', keywords: 'kafka', resultId: 'a' }),
      bodies,
    );
    const diff = diffRuns(original, other);
    assert.deepEqual(diff.decisions, {
      missing: ['marketing analysis_complete: skipped (held by content)'],
      added: ['marketing analysis_complete: skipped (held by sales)'],
    });
  });
});
