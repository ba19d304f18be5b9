import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readLabelledPairs } from '../pairs.ts';
import { DEFAULT_THRESHOLDS } from '../thresholds.ts';
import { LexicalSimilarity } from './lexical-similarity.ts';

const threshold = DEFAULT_THRESHOLDS.lexical;

const pairsFile = fileURLToPath(new URL('../../data/topic-pairs.tsv', import.meta.url));

it('is ready at once for any subject', async () => {
  const similarity = new LexicalSimilarity();
  await similarity.prepare(['kafka-security']);
  assert.equal(similarity.prepared('never-seen'), true);
  assert.equal(similarity.method, 'lexical');
});

it('identical slugs score 1, unrelated slugs near 0', () => {
  const similarity = new LexicalSimilarity();
  assert.equal(similarity.score('kafka-security', 'kafka-security'), 1);
  assert.ok(similarity.score('kafka-security', 'sales-compensation-plans') < 0.05);
});

it('word order does not matter', () => {
  const similarity = new LexicalSimilarity();
  assert.equal(
    similarity.score('kafka-for-multi-agent-systems', 'multi-agent-systems-on-kafka'),
    1,
  );
  assert.equal(similarity.score('tracing-llm-agents', 'llm-agent-tracing'), 1);
});

it('is symmetric and the same every time, with a cache of one subject', () => {
  const pairs = [
    ['agent-observability-platforms', 'observability-for-ai-agents'],
    ['kafka-monitoring', 'kubernetes-monitoring'],
    ['multi-cloud-strategy', 'multicloud-strategy'],
  ] as const;
  const similarity = new LexicalSimilarity();
  const tiny = new LexicalSimilarity({ cacheSize: 1 });
  for (const [a, b] of pairs) {
    const score = similarity.score(a, b);
    assert.equal(similarity.score(b, a), score);
    assert.equal(tiny.score(a, b), score);
    assert.equal(tiny.score(b, a), score);
    assert.equal(Math.round(score * 10_000) / 10_000, score);
  }
});

it('the same work scores at the threshold or above, related but distinct work below it', () => {
  const similarity = new LexicalSimilarity();
  for (const [a, b] of [
    ['agent-observability-platforms', 'observability-for-ai-agents'],
    ['kafka-for-multi-agent-systems', 'multi-agent-systems-on-kafka'],
    ['k8s-autoscaling', 'kubernetes-autoscaling'],
    ['multi-cloud-strategy', 'multicloud-strategy'],
  ] as const) {
    assert.ok(similarity.score(a, b) >= threshold, `${a} / ${b}: ${similarity.score(a, b)}`);
  }
  for (const [a, b] of [
    ['kafka-security', 'kafka-performance'],
    ['kafka-monitoring', 'kubernetes-monitoring'],
    ['llm-agent-tracing', 'llm-agent-testing'],
  ] as const) {
    assert.ok(similarity.score(a, b) < threshold, `${a} / ${b}: ${similarity.score(a, b)}`);
  }
});

it('subjects that share no term score below the threshold, so an index may skip them', () => {
  const similarity = new LexicalSimilarity();
  const a = 'reducing-churn';
  const b = 'churn-reduction-strategies';
  const shared = similarity.terms(a).filter((term) => similarity.terms(b).includes(term));
  assert.ok(shared.length > 0);
  const none = ['kafka-security', 'kubernetes-networking'] as const;
  assert.deepEqual(
    similarity.terms(none[0]).filter((term) => similarity.terms(none[1]).includes(term)),
    [],
  );
  assert.ok(similarity.score(...none) < threshold);
});

it('terms include adjacent words joined, for a subject that writes them as one', () => {
  const similarity = new LexicalSimilarity();
  assert.ok(similarity.terms('multi-cloud-strategy').includes('multicloud'));
});

it('every labelled pair at or above the threshold shares a term', async () => {
  const similarity = new LexicalSimilarity();
  for (const { a, b } of await readLabelledPairs(pairsFile)) {
    if (similarity.score(a, b) < threshold) continue;
    const terms = new Set(similarity.terms(a));
    assert.ok(
      similarity.terms(b).some((term) => terms.has(term)),
      `${a} / ${b}`,
    );
  }
});

it('compared with a floor, every labelled pair gets its whole score at or above it, and below it stays below', async () => {
  const similarity = new LexicalSimilarity();
  const floor = DEFAULT_THRESHOLDS.lexical;
  for (const { a, b } of await readLabelledPairs(pairsFile)) {
    const whole = similarity.score(a, b);
    const early = similarity.compare(similarity.fingerprint(a), similarity.fingerprint(b), floor);
    if (whole >= floor) assert.equal(early, whole, `${a} / ${b}`);
    else assert.ok(early < floor, `${a} / ${b}: ${early} below ${floor}`);
    assert.equal(similarity.score(b, a), whole, `${a} / ${b} symmetric`);
  }
});
