import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isContentWord, topicWords, words } from './words.ts';

it('words keeps hyphenated words whole and leaves out short words and numbers', () => {
  assert.deepEqual(words('The Kafka-based fleet ran 2026 jobs in Q3; it scaled!'), [
    'the',
    'kafka-based',
    'fleet',
    'ran',
    'jobs',
    'scaled',
  ]);
});

it('content words are words that are not stop words', () => {
  assert.deepEqual(['tracing', 'the', 'which', 'ok', '2026', 'spans'].filter(isContentWord), [
    'tracing',
    'spans',
  ]);
});

it('topicWords splits a slug on hyphens and underscores and drops stop words', () => {
  assert.deepEqual(topicWords('the-state-of_agent-tracing'), ['state', 'agent', 'tracing']);
});
