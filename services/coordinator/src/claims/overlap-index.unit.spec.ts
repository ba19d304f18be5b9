import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClaimRecord, ClaimRequest } from '@paxfleet/events';
import { EmbeddingSimilarity, LexicalSimilarity, type Embedder } from '@paxfleet/overlap';
import { ComplementaryFormats, OverlapIndex } from './overlap-index.ts';

function work(subject: string, fields: Partial<ClaimRecord> = {}): ClaimRecord {
  return {
    work_key: `content:${subject}`,
    state: 'held',
    holder: 'marketing',
    epoch: 1,
    lease_expires_at: 60_000,
    decision: 'granted',
    request_id: `r-${subject}`,
    requester: 'marketing',
    reason: 'free',
    workflow_id: `workflow-${subject}`,
    format: 'blog_post',
    decided_at: 1000,
    subject,
    overlap: null,
    ...fields,
  };
}

function claim(subject: string, format = 'newsletter'): ClaimRequest {
  return {
    request_id: `q-${subject}`,
    work_key: `content:${subject}`,
    workflow_id: `workflow-${subject}`,
    agent: 'content',
    action: 'claim',
    epoch: 0,
    lease_ms: 30_000,
    format,
    subject,
    requested_at: 2000,
  };
}

const lexical = (complementary: readonly string[] = []) =>
  new OverlapIndex({
    similarity: new LexicalSimilarity(),
    threshold: 0.6,
    complementary: new ComplementaryFormats(complementary),
  });

describe('OverlapIndex', () => {
  it('finds held or completed work a claim repeats, with its key, holder, score and method', () => {
    const index = lexical();
    index.apply(work('agent-observability-platforms'));
    index.apply(work('kafka-security', { state: 'completed', holder: 'sales' }));
    const found = index.find(claim('observability-for-ai-agents'), 2000);
    assert.equal(found?.work_key, 'content:agent-observability-platforms');
    assert.equal(found?.holder, 'marketing');
    assert.equal(found?.state, 'held');
    assert.equal(found?.method, 'lexical');
    assert.equal(found?.action, 'deny');
    assert.ok((found?.score ?? 0) >= 0.6);
    assert.equal(index.find(claim('securing-kafka'), 2000)?.state, 'completed');
    assert.equal(index.find(claim('kafka-performance'), 2000), undefined, 'related, not the same');
  });

  it('ignores the key itself, released keys, lapsed leases and work without a subject', () => {
    const index = lexical();
    index.apply(work('kafka-security'));
    assert.equal(index.find(claim('kafka-security'), 2000), undefined, 'its own key');
    assert.equal(index.find(claim('securing-kafka'), 60_000), undefined, 'the lease ran out');
    index.apply(work('kafka-security', { state: 'free', holder: null, decided_at: 3000 }));
    assert.equal(index.find(claim('securing-kafka'), 4000), undefined, 'released');
    index.apply(work('kafka-security', { decided_at: 2000 }));
    assert.equal(
      index.find(claim('securing-kafka'), 4000),
      undefined,
      'an older grant read back after the release does not bring the key back',
    );
    index.apply(work('', { work_key: 'content:unnamed' }));
    assert.equal(index.size, 2);
  });

  it('prefers a denying overlap to a complementary one, the highest score, then the smaller key', () => {
    const index = lexical(['newsletter:prospect_deck']);
    index.apply(work('kafka-security', { format: 'prospect_deck', holder: 'sales' }));
    const complementary = index.find(claim('securing-kafka'), 2000);
    assert.equal(complementary?.action, 'grant', 'a newsletter beside a deck');
    index.apply(work('securing-kafka-clusters', { holder: 'marketing' }));
    const denied = index.find(claim('securing-kafka'), 2000);
    assert.equal(denied?.action, 'deny');
    assert.equal(denied?.work_key, 'content:securing-kafka-clusters');

    const ties = lexical();
    ties.apply(work('payroll-forecasting-b', { work_key: 'content:b' }));
    ties.apply(work('payroll-forecasting-b', { work_key: 'content:a' }));
    assert.equal(ties.find(claim('payroll-forecasting-b'), 2000)?.work_key, 'content:a');
  });

  it('rebuilt from the same records, it finds the same overlaps', () => {
    const records = [
      work('agent-observability-platforms'),
      work('kafka-for-multi-agent-systems', { holder: 'sales' }),
      work('llm-cost-control', { state: 'completed' }),
    ];
    const first = lexical();
    const second = lexical();
    for (const record of records) first.apply(record);
    for (const record of [...records].reverse()) second.apply(record);
    for (const subject of ['observability-for-ai-agents', 'multi-agent-systems-on-kafka', 'x'])
      assert.deepEqual(first.find(claim(subject), 2000), second.find(claim(subject), 2000));
  });

  it('says which subjects a method that asks a server still has to prepare', async () => {
    const asked: string[][] = [];
    const embedder: Embedder = {
      embed: (texts) => {
        asked.push([...texts]);
        return Promise.resolve(texts.map((text) => [text.length, 1]));
      },
    };
    const similarity = new EmbeddingSimilarity({ embedder });
    const index = new OverlapIndex({
      similarity,
      threshold: 0.99,
      complementary: new ComplementaryFormats([]),
    });
    index.apply(work('kafka-security'));
    index.apply(work('released', { state: 'free' }));
    const request = claim('securing-kafka');
    assert.deepEqual(index.unprepared(request).sort(), ['kafka-security', 'securing-kafka']);
    await similarity.prepare(index.unprepared(request));
    assert.deepEqual(index.unprepared(request), []);
    assert.equal(asked.length, 1);
    const found = index.find(request, 2000);
    assert.equal(found?.work_key, 'content:kafka-security');
    assert.equal(found?.method, 'embedding');
  });
});
