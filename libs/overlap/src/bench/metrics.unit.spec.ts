import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { LexicalSimilarity } from '../lexical/lexical-similarity.ts';
import { readLabelledPairs } from '../pairs.ts';
import { DEFAULT_THRESHOLDS } from '../thresholds.ts';
import {
  figuresAt,
  half,
  histogram,
  thresholdGrid,
  tuneThreshold,
  type ScoredPair,
} from './metrics.ts';

const scored = (score: number, label: 'same' | 'distinct', a = `a${score}`): ScoredPair => ({
  a,
  b: 'b',
  label,
  line: 1,
  score,
});

it('precision and recall count a pair as predicted same at score >= threshold', () => {
  const pairs = [
    scored(0.9, 'same'),
    scored(0.6, 'same'),
    scored(0.6, 'distinct'),
    scored(0.2, 'same'),
  ];
  const figures = figuresAt(pairs, 0.6);
  assert.equal(figures.precision, 2 / 3);
  assert.equal(figures.recall, 2 / 3);
  assert.equal(figuresAt(pairs, 0.95).precision, 1);
});

it('the tuner takes the most recall at the precision asked, else the best F1', () => {
  const pairs = [
    scored(0.9, 'same'),
    scored(0.7, 'same'),
    scored(0.5, 'distinct'),
    scored(0.4, 'same'),
  ];
  assert.equal(tuneThreshold(pairs, [0.3, 0.5, 0.7, 0.9], 0.95).threshold, 0.7);
  assert.equal(tuneThreshold(pairs, [0.3, 0.5], 0.95).threshold, 0.3);
});

it('the grid, the histogram and the halves are as printed', () => {
  assert.deepEqual(thresholdGrid(0.3, 0.4, 0.02), [0.3, 0.32, 0.34, 0.36, 0.38, 0.4]);
  assert.deepEqual(histogram([0, 0.05, 0.99, 1], 4), [2, 0, 0, 2]);
  const pair = scored(0.5, 'same', 'x');
  assert.equal(half(pair), half({ ...pair, a: pair.b, b: pair.a }));
});

it('the default lexical threshold reaches the goal on the committed labelled pairs', async () => {
  const file = fileURLToPath(new URL('../../data/topic-pairs.tsv', import.meta.url));
  const pairs = await readLabelledPairs(file);
  const similarity = new LexicalSimilarity();
  const figures = figuresAt(
    pairs.map((pair) => ({ ...pair, score: similarity.score(pair.a, pair.b) })),
    DEFAULT_THRESHOLDS.lexical,
  );
  assert.ok(figures.precision >= 0.95, `precision ${figures.precision}`);
  assert.ok(figures.recall >= 0.8, `recall ${figures.recall}`);
});
