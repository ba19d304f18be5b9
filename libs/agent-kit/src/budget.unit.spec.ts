import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpendWindow } from './budget.ts';
import type { ModelCallRecord } from './model-ledger.ts';

function call(id: string, at: number, tokens: number, usd = 0, outcome = 'ok'): ModelCallRecord {
  return {
    call_id: id,
    agent: 'marketing',
    instance: 'marketing-0',
    workflow_id: 'workflow_a',
    work_key: null,
    source_topic: 'research-events',
    source_partition: 0,
    source_offset: 0,
    sequence: 0,
    prompt_hash: 'ab',
    provider: 'offline',
    model: 'offline-deterministic-1',
    outcome: outcome as ModelCallRecord['outcome'],
    error: '',
    prompt_tokens: tokens / 2,
    completion_tokens: tokens / 2,
    tokens_estimated: false,
    latency_ms: 1,
    cost_usd: usd,
    completion: 'x',
    completion_ref: '',
    recorded_at: at,
  };
}

describe('SpendWindow', () => {
  it('trips at the token limit and says when enough spend has left the window', () => {
    const window = new SpendWindow({ tokens: 1000, windowMs: 60_000 });
    window.add(call('a', 1_000, 400));
    window.add(call('b', 2_000, 400));
    assert.equal(window.judge(2_500).exceeded, false);
    window.add(call('c', 3_000, 400));
    const verdict = window.judge(3_500);
    assert.ok(verdict.exceeded);
    assert.equal(verdict.reason, 'tokens 1200 of 1000');
    // Without a, 800 are left: under the limit once a leaves the window.
    assert.equal(verdict.resumeAt, 61_000);
    assert.deepEqual(window.judge(61_000), { exceeded: false, spent: { tokens: 800, usd: 0 } });
  });

  it('counts a call once, whether its instance told of it or its ledger record did', () => {
    const window = new SpendWindow({ tokens: 1000, windowMs: 60_000 });
    window.add(call('a', 1_000, 600));
    window.add(call('a', 1_000, 600));
    assert.equal(window.judge(2_000).exceeded, false);
  });

  it('trips at the money limit, waits for as many calls to leave as it takes, and ignores replayed calls', () => {
    const window = new SpendWindow({ usd: 0.01, windowMs: 10_000 });
    window.add(call('a', 0, 10, 0.004));
    window.add(call('b', 1_000, 10, 0.004));
    window.add(call('c', 2_000, 10, 0.004));
    window.add(call('r', 2_500, 10, 5, 'replayed'));
    const verdict = window.judge(3_000);
    assert.ok(verdict.exceeded);
    assert.equal(verdict.reason, 'usd 0.0120 of 0.01');
    assert.equal(verdict.resumeAt, 10_000);
  });

  it('has no limit unless one is set', () => {
    const window = new SpendWindow({ windowMs: 1000 });
    assert.equal(window.limited, false);
    window.add(call('a', 0, 1e9));
    assert.equal(window.judge(1).exceeded, false);
  });
});
