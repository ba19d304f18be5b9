import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClaimOverlap, ClaimRequest } from '@paxfleet/events';
import { ClaimLedger, type OverlapCheck } from './ledger.ts';

const policy = { completionWindowMs: 60_000, maxRequestAgeMs: 5_000 };
let sequence = 0;

function request(
  agent: string,
  action: ClaimRequest['action'],
  now: number,
  extra: Partial<ClaimRequest> = {},
): ClaimRequest {
  sequence += 1;
  return {
    request_id: `r${sequence}`,
    work_key: 'content/agent-observability',
    workflow_id: 'workflow_7k2p',
    agent,
    action,
    epoch: 0,
    lease_ms: 10_000,
    format: 'blog_post',
    subject: '',
    requested_at: now,
    ...extra,
  };
}

describe('ClaimLedger', () => {
  it('grants a free key to the first claim and denies the rest, naming the holder', () => {
    const ledger = new ClaimLedger(policy);
    const grant = ledger.decide(request('marketing', 'claim', 1000), 1000);
    assert.equal(grant?.decision, 'granted');
    assert.equal(grant?.holder, 'marketing');
    assert.equal(grant?.epoch, 1);
    assert.equal(grant?.lease_expires_at, 11_000);
    for (const agent of ['sales', 'content']) {
      const denial = ledger.decide(request(agent, 'claim', 1001), 1001);
      assert.equal(denial?.decision, 'denied');
      assert.equal(denial?.reason, 'already claimed by marketing');
      assert.equal(denial?.holder, 'marketing', 'the denial carries the unchanged state');
      assert.equal(denial?.requester, agent);
    }
  });

  it('gives the holder the same grant back when it asks again (crash and restart)', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    const again = ledger.decide(request('marketing', 'claim', 5000), 5000);
    assert.equal(again?.decision, 'granted');
    assert.equal(again?.epoch, 1);
    assert.equal(again?.lease_expires_at, 15_000, 'lease extended');
  });

  it('renews only for the holder at its epoch and only while the lease runs', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    assert.equal(
      ledger.decide(request('marketing', 'renew', 2000, { epoch: 1 }), 2000)?.decision,
      'renewed',
    );
    assert.equal(ledger.current('content/agent-observability')?.lease_expires_at, 12_000);
    assert.equal(
      ledger.decide(request('sales', 'renew', 2000, { epoch: 1 }), 2000)?.decision,
      'rejected',
    );
    assert.equal(
      ledger.decide(request('marketing', 'renew', 2000, { epoch: 7 }), 2000)?.decision,
      'rejected',
    );
    const late = ledger.decide(request('marketing', 'renew', 13_000, { epoch: 1 }), 13_000);
    assert.equal(late?.decision, 'rejected');
    assert.match(late?.reason ?? '', /lease expired/);
  });

  it('hands a lapsed key to the next claimant with a higher epoch and rejects the old holder’s completion', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    const takeover = ledger.decide(request('sales', 'claim', 11_000), 11_000);
    assert.equal(takeover?.decision, 'granted');
    assert.equal(takeover?.holder, 'sales');
    assert.equal(takeover?.epoch, 2);
    assert.equal(takeover?.reason, 'lease of marketing expired');
    const stale = ledger.decide(request('marketing', 'complete', 11_500, { epoch: 1 }), 11_500);
    assert.equal(stale?.decision, 'rejected');
    assert.equal(
      stale?.reason,
      'stale epoch 1: content/agent-observability is at epoch 2, held by sales',
    );
    assert.equal(ledger.current('content/agent-observability')?.holder, 'sales');
  });

  it('expires a lapsed lease on the coordinator’s own request, and ignores the request if it was renewed', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    assert.equal(
      ledger.decide(request('coordinator', 'expire', 5000, { epoch: 1 }), 5000),
      undefined,
      'not lapsed yet',
    );
    assert.deepEqual(
      ledger.lapsed(11_000).map((record) => record.work_key),
      ['content/agent-observability'],
    );
    const expired = ledger.decide(request('coordinator', 'expire', 11_000, { epoch: 1 }), 11_000);
    assert.equal(expired?.decision, 'expired');
    assert.equal(expired?.state, 'free');
    assert.equal(expired?.holder, null);
    assert.equal(ledger.decide(request('content', 'claim', 11_001), 11_001)?.epoch, 2);
  });

  it('keeps completed work claimed for the completion window, then frees it', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    const done = ledger.decide(request('marketing', 'complete', 2000, { epoch: 1 }), 2000);
    assert.equal(done?.state, 'completed');
    assert.equal(done?.lease_expires_at, 62_000);
    const republished = ledger.decide(
      request('sales', 'claim', 30_000, { workflow_id: 'workflow_new' }),
      30_000,
    );
    assert.equal(republished?.decision, 'denied');
    assert.equal(republished?.reason, 'already completed by marketing');
    const again = ledger.decide(
      request('marketing', 'claim', 30_000, { workflow_id: 'workflow_new' }),
      30_000,
    );
    assert.equal(again?.decision, 'denied', 'not even the holder writes it twice for new research');
    assert.equal(ledger.decide(request('sales', 'claim', 62_000), 62_000)?.epoch, 2);
  });

  it('lets the holder recover its own completed claim for the same workflow, at the same epoch', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    ledger.decide(request('marketing', 'complete', 2000, { epoch: 1 }), 2000);
    const recovered = ledger.decide(request('marketing', 'claim', 3000), 3000);
    assert.equal(recovered?.decision, 'granted');
    assert.equal(recovered?.epoch, 1);
    assert.equal(
      ledger.decide(request('marketing', 'complete', 4000, { epoch: 1 }), 4000)?.decision,
      'completed',
    );
  });

  it('frees an abandoned key for the next claimant', () => {
    const ledger = new ClaimLedger(policy);
    ledger.decide(request('marketing', 'claim', 1000), 1000);
    assert.equal(
      ledger.decide(request('marketing', 'abandon', 2000, { epoch: 1 }), 2000)?.decision,
      'abandoned',
    );
    const next = ledger.decide(request('content', 'claim', 2001), 2001);
    assert.equal(next?.holder, 'content');
    assert.equal(next?.epoch, 2);
  });

  it('denies a claim that waited in the log longer than its sender waits', () => {
    const ledger = new ClaimLedger(policy);
    const denial = ledger.decide(request('marketing', 'claim', 1000), 7000);
    assert.equal(denial?.decision, 'denied');
    assert.match(denial?.reason ?? '', /waited 6000 ms/);
    assert.equal(ledger.decide(request('sales', 'claim', 7000), 7000)?.decision, 'granted');
  });

  it('rebuilds from replayed decisions to the same answers', () => {
    const original = new ClaimLedger(policy);
    const records = [
      original.decide(request('marketing', 'claim', 1000), 1000),
      original.decide(request('sales', 'claim', 1001), 1001),
    ];
    const rebuilt = new ClaimLedger(policy);
    for (const record of records) if (record) rebuilt.apply(record);
    assert.equal(
      rebuilt.decide(request('content', 'claim', 1002), 1002)?.reason,
      'already claimed by marketing',
    );
  });

  describe('with an overlap check', () => {
    const overlap = (action: ClaimOverlap['action']): ClaimOverlap => ({
      work_key: 'content:agent-observability-platforms',
      subject: 'agent-observability-platforms',
      holder: 'marketing',
      state: 'held',
      format: 'blog_post',
      score: 0.8734,
      threshold: 0.6,
      method: 'lexical',
      action,
    });
    const asked: string[] = [];
    const finding = (action: ClaimOverlap['action'] | undefined): OverlapCheck => ({
      find: (claim) => {
        asked.push(claim.work_key);
        return action && overlap(action);
      },
    });
    const claim = (agent: string, now: number, extra: Partial<ClaimRequest> = {}) =>
      request(agent, 'claim', now, {
        work_key: 'content:observability-for-ai-agents',
        subject: 'observability-for-ai-agents',
        format: 'prospect_deck',
        ...extra,
      });

    it('denies a claim that repeats other work, naming its key, holder and score, and leaves the key free', () => {
      const ledger = new ClaimLedger(policy);
      const denial = ledger.decide(claim('sales', 1000), 1000, finding('deny'));
      assert.equal(denial?.decision, 'denied');
      assert.equal(
        denial?.reason,
        'overlaps content:agent-observability-platforms (0.87), claimed by marketing',
      );
      assert.deepEqual(denial?.overlap, overlap('deny'));
      assert.equal(denial?.state, 'free');
      assert.equal(denial?.subject, 'observability-for-ai-agents', 'the input is in the record');
      const later = ledger.decide(claim('sales', 2000), 2000, finding(undefined));
      assert.equal(later?.decision, 'granted', 'once nothing overlaps, the key is granted');
      assert.equal(later?.epoch, 1);
      assert.equal(later?.overlap, null);
    });

    it('grants beside complementary work with a note', () => {
      const ledger = new ClaimLedger(policy);
      const grant = ledger.decide(claim('sales', 1000), 1000, finding('grant'));
      assert.equal(grant?.decision, 'granted');
      assert.equal(grant?.holder, 'sales');
      assert.equal(
        grant?.reason,
        'free; complements: overlaps content:agent-observability-platforms (0.87), claimed by marketing',
      );
      assert.equal(grant?.overlap?.action, 'grant');
      const renewal = ledger.decide(
        request('sales', 'renew', 2000, { work_key: grant?.work_key ?? '', epoch: 1 }),
        2000,
        finding('deny'),
      );
      assert.equal(renewal?.decision, 'renewed', 'only fresh grants are checked');
      assert.equal(renewal?.overlap, null);
      assert.equal(
        renewal?.subject,
        'observability-for-ai-agents',
        'the subject stays with the key',
      );
    });

    it('asks only for fresh grants of claims that name a subject', () => {
      const ledger = new ClaimLedger(policy);
      asked.length = 0;
      ledger.decide(claim('sales', 1000, { subject: '' }), 1000, finding('deny'));
      assert.deepEqual(asked, [], 'no subject, no check');
      ledger.decide(
        request('marketing', 'claim', 1000, { subject: 'agents' }),
        1000,
        finding(undefined),
      );
      ledger.decide(
        request('marketing', 'claim', 2000, { subject: 'agents' }),
        2000,
        finding('deny'),
      );
      assert.deepEqual(
        asked,
        ['content/agent-observability'],
        'the holder asking again is not checked',
      );
      const denial = ledger.decide(request('sales', 'claim', 2001), 2001, finding('deny'));
      assert.equal(denial?.reason, 'already claimed by marketing', 'the key itself comes first');
    });
  });
});
