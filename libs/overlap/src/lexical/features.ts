import { stem } from './stem.ts';
import type { Term } from './terms.ts';

/** A sparse vector: feature → weight, and its length, computed once. */
export interface Vector {
  readonly weights: ReadonlyMap<string, number>;
  readonly norm: number;
}

/** The three views of a subject the score blends. */
export interface Features {
  readonly terms: readonly Term[];
  /** One feature per term. */
  readonly words: Vector;
  /** One per unordered pair of terms: what the subject is, as a combination. */
  readonly pairs: Vector;
  /** Character trigrams of each stem, for inflections and compounds the stemmer misses. */
  readonly grams: Vector;
  /** The stems, and the stems two adjacent terms make joined (multi + cloud → multicloud). */
  readonly stems: ReadonlySet<string>;
  readonly compounds: ReadonlySet<string>;
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
  return {
    terms,
    words: vector(words),
    pairs: vector(pairs),
    grams: vector(grams),
    stems: new Set(terms.map((term) => term.stem)),
    compounds: new Set(terms.slice(1).map((term, i) => compoundStem(terms[i], term))),
  };
}

function vector(weights: ReadonlyMap<string, number>): Vector {
  let sum = 0;
  for (const weight of weights.values()) sum += weight * weight;
  return { weights, norm: Math.sqrt(sum) };
}

/** 0 when either vector is empty. */
export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [key, weight] of small.weights) dot += weight * (large.weights.get(key) ?? 0);
  if (dot === 0) return 0;
  return dot / (a.norm * b.norm);
}

/** True when a joins two adjacent terms into a stem b has: only then do compounds change a score. */
export function sharesCompound(a: Features, b: Features): boolean {
  for (const compound of a.compounds) if (b.stems.has(compound)) return true;
  return false;
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
