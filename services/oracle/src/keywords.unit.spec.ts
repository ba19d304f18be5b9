import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalKeywordRecommender, mentions, recommendKeywords } from './keywords.ts';

const research = [
  '# Research: agent tracing',
  '',
  'Agent tracing records every step an AI agent takes. With agent tracing, teams see tool calls,',
  'prompts and latency. Agent tracing needs spans; spans carry the trace context. Vendors differ',
  'in cost. The agent runtime exports spans over OTLP.',
].join('\n');

describe('recommendKeywords', () => {
  it('ranks a recurring phrase above its words, and drops words used mostly inside it', () => {
    const keywords = recommendKeywords(research);
    assert.equal(keywords[0], 'agent tracing');
    assert.equal(keywords[1], 'spans');
    assert.ok(!keywords.includes('tracing'), 'tracing only ever occurs in "agent tracing"');
    assert.ok(!keywords.includes('the') && !keywords.includes('with'), 'no stop words');
  });

  it('is deterministic and honours the limit', () => {
    assert.deepEqual(recommendKeywords(research), recommendKeywords(`${research}`));
    assert.equal(recommendKeywords(research, 3).length, 3);
    assert.deepEqual(recommendKeywords(research, 3), recommendKeywords(research).slice(0, 3));
  });

  it('keeps phrases within one sentence and ignores numbers', () => {
    assert.deepEqual(recommendKeywords('Kafka lag. Kafka lag! 2026 2026 2026'), ['kafka lag']);
    assert.deepEqual(recommendKeywords('kafka. lag kafka. lag'), ['kafka', 'lag']);
  });

  it('returns nothing for text without content words', () => {
    assert.deepEqual(recommendKeywords('It is what it is, and so on.'), []);
  });
});

describe('mentions', () => {
  it('counts whole words and phrases, case-insensitive, hyphen or space between the words', () => {
    const text =
      'Kubernetes observability; kubernetes-observability. Not kubernetesobservability. Kubernetes!';
    assert.equal(mentions(text, 'kubernetes observability'), 2);
    assert.equal(mentions(text, 'kubernetes'), 3);
    assert.equal(mentions(text, 'tracing'), 0);
    assert.equal(mentions(text, '  '), 0);
  });

  it('treats regular expression characters in a keyword literally', () => {
    assert.equal(mentions('c++ and c# and c', 'c++'), 1);
  });
});

describe('LocalKeywordRecommender', () => {
  it('ranks locally, with no network', async () => {
    const local = new LocalKeywordRecommender(2);
    assert.equal(local.name, 'local');
    assert.deepEqual(await local.keywords({ topic: 'agent-tracing', text: research }), [
      'agent tracing',
      'spans',
    ]);
  });
});
