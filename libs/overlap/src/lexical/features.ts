import { stem } from './stem.ts';
import type { Term } from './terms.ts';

/** A sparse vector: feature → weight. */
export type Vector = ReadonlyMap<string, number>;

/** The three views of a subject the score blends. */
export interface Features {
  readonly terms: readonly Term[];
  /** One feature per term. */
  readonly words: Vector;
  /** One per unordered pair of terms: what the subject is, as a combination. */
  readonly pairs: Vector;
  /** Character trigrams of each stem, for inflections and compounds the stemmer misses. */
  readonly grams: Vector;
}

const GRAM = 3;

function add(vector: Map<string, number>, key: string, weight: number): void {
  vector.set(key, (vector.get(key) ?? 0) + weight);
}

export function features(terms: readonly Term[]): Features {
  const words = new Map<string, number>();
  const pairs = new Map<string, number>();
  const grams = new Map<string, number>();
  for (const [i, term] of terms.entries()) {
    add(words, term.stem, term.weight);
    for (const other of terms.slice(i + 1)) {
      const key = [term.stem, other.stem].sort().join(' ');
      add(pairs, key, term.weight * other.weight);
    }
    const padded = `^${term.stem}$`;
    for (let at = 0; at + GRAM <= padded.length; at++) {
      add(grams, padded.slice(at, at + GRAM), term.weight);
    }
  }
  return { terms, words, pairs, grams };
}

/** 0 when either vector is empty. */
export function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [key, weight] of a) dot += weight * (b.get(key) ?? 0);
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

function norm(vector: Vector): number {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  return Math.sqrt(sum);
}

/** The stem of two terms written as one word: multi + cloud → multicloud. */
export function compoundStem(first: Term | undefined, second: Term): string {
  return stem((first?.surface ?? '') + second.surface);
}

/**
 * The terms of `a` with two adjacent terms joined where `b` writes them as one word
 * (multi-cloud against multicloud, next-js against nextjs); `a` itself when none are.
 */
export function joinCompounds(a: readonly Term[], b: readonly Term[]): readonly Term[] {
  const others = new Set(b.map((term) => term.stem));
  const joined: Term[] = [];
  for (let i = 0; i < a.length; i++) {
    const term = a[i];
    const next = a[i + 1];
    if (term === undefined) continue;
    const compound = next === undefined ? undefined : compoundStem(term, next);
    if (
      next !== undefined &&
      compound !== undefined &&
      others.has(compound) &&
      !others.has(term.stem)
    ) {
      const surface = term.surface + next.surface;
      joined.push({ stem: compound, surface, weight: Math.max(term.weight, next.weight) });
      i++;
    } else {
      joined.push(term);
    }
  }
  return joined.length === a.length ? a : joined;
}
