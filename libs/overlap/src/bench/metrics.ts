import { createHash } from 'node:crypto';
import type { LabelledPair } from '../pairs.ts';

/** A labelled pair with a method's score for it. */
export interface ScoredPair extends LabelledPair {
  readonly score: number;
}

export interface Figures {
  readonly threshold: number;
  readonly pairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * Precision and recall of "same" when a pair is predicted same at score >= threshold.
 * A threshold that predicts nothing same has precision 1: it claims nothing wrongly.
 */
export function figuresAt(scored: readonly ScoredPair[], threshold: number): Figures {
  const predicted = scored.filter((pair) => pair.score >= threshold);
  const truePositives = predicted.filter((pair) => pair.label === 'same').length;
  const same = scored.filter((pair) => pair.label === 'same').length;
  const precision = predicted.length === 0 ? 1 : truePositives / predicted.length;
  const recall = same === 0 ? 1 : truePositives / same;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, pairs: scored.length, precision, recall, f1 };
}

/** Thresholds from `from` to `to` in `step`, rounded so they print as written. */
export function thresholdGrid(from = 0.3, to = 0.9, step = 0.02): number[] {
  const grid: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++)
    grid.push(Math.round((from + i * step) * 100) / 100);
  return grid;
}

/**
 * The threshold a tuner would pick on these pairs: the most recall with precision at
 * least `minPrecision` (the higher threshold on a tie), else the best F1.
 */
export function tuneThreshold(
  scored: readonly ScoredPair[],
  grid: readonly number[],
  minPrecision: number,
): Figures {
  const all = grid.map((threshold) => figuresAt(scored, threshold));
  const precise = all.filter((figures) => figures.precision >= minPrecision);
  const candidates = precise.length > 0 ? precise : all;
  const key = (figures: Figures): number => (precise.length > 0 ? figures.recall : figures.f1);
  return candidates.reduce((best, figures) => (key(figures) >= key(best) ? figures : best));
}

/**
 * Which half of the labelled set a pair falls in, from a hash of its two subjects in
 * sorted order: the same split on every run and for either order of a pair, and
 * independent of where a pair sits in the file.
 */
export function half(pair: LabelledPair): 0 | 1 {
  const key = [pair.a, pair.b].sort().join('\t');
  return (createHash('sha256').update(key).digest()[0] ?? 0) % 2 === 0 ? 0 : 1;
}

/** Count per 0.05 bin from 0 to 1 (a score of 1 goes in the last bin). */
export function histogram(scores: readonly number[], bins = 20): number[] {
  const counts = Array.from({ length: bins }, () => 0);
  for (const score of scores) {
    const bin = Math.min(bins - 1, Math.floor(score * bins));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}
