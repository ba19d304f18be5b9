import assert from 'node:assert/strict';
import { it } from 'node:test';
import { stem } from './stem.ts';

it('stem follows the examples of Porter’s paper, step by step', () => {
  const cases: Record<string, string> = {
    caresses: 'caress',
    ponies: 'poni',
    cats: 'cat',
    agreed: 'agre',
    plastered: 'plaster',
    motoring: 'motor',
    sing: 'sing',
    hopping: 'hop',
    falling: 'fall',
    filing: 'file',
    happy: 'happi',
    relational: 'relat',
    conditional: 'condit',
    digitizer: 'digit',
    vietnamization: 'vietnam',
    hopefulness: 'hope',
    sensibiliti: 'sensibl',
    triplicate: 'triplic',
    formalize: 'formal',
    electrical: 'electr',
    allowance: 'allow',
    adjustment: 'adjust',
    adoption: 'adopt',
    probate: 'probat',
    rate: 'rate',
    controll: 'control',
    generalizations: 'gener',
  };
  for (const [word, expected] of Object.entries(cases)) assert.equal(stem(word), expected, word);
});

it('stem gives the words of one subject one stem', () => {
  assert.deepEqual(['observability', 'observable', 'observe'].map(stem), [
    'observ',
    'observ',
    'observ',
  ]);
  assert.deepEqual(['tracing', 'traces', 'trace'].map(stem), ['trace', 'trace', 'trace']);
  assert.deepEqual(['agents', 'agentic'].map(stem), ['agent', 'agent']);
});

it('stem leaves short words and words with digits as they are', () => {
  assert.deepEqual(['k8s', 'ai', 'gpt4o', 's3'].map(stem), ['k8s', 'ai', 'gpt4o', 's3']);
});
