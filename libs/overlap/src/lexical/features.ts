import { stem } from './stem.ts';
import type { Term } from './terms.ts';

/**
 * A sparse vector, compact: the features' 32-bit hashes in ascending order, their
 * weights, and its length, computed once. An index keeps one per piece of work, and
 * a cosine is one merge of two short arrays.
 */
export interface Vector {
  readonly ids: Uint32Array;
  readonly weights: Float64Array;
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
  /** Ids (as in `words`) of the stems two adjacent terms make joined (multi + cloud → multicloud). */
  readonly compounds: Uint32Array;
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
    compounds: Uint32Array.from(compoundStems(terms), fnv1a),
  };
}

/** The stems two adjacent terms make written as one word. */
export function compoundStems(terms: readonly Term[]): string[] {
  return terms.slice(1).map((term, i) => compoundStem(terms[i], term));
}

function vector(weights: ReadonlyMap<string, number>): Vector {
  const byId = new Map<number, number>();
  for (const [feature, weight] of weights) {
    const id = fnv1a(feature);
    byId.set(id, (byId.get(id) ?? 0) + weight);
  }
  const ids = Uint32Array.from(byId.keys()).sort();
  const values = Float64Array.from(ids, (id) => byId.get(id) ?? 0);
  let sum = 0;
  for (const weight of values) sum += weight * weight;
  return { ids, weights: values, norm: Math.sqrt(sum) };
}

/** FNV-1a, 32 bits: a feature's id (two features of one subject sharing one add up). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** 0 when either vector is empty. */
export function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] as number;
    const y = b.ids[j] as number;
    if (x === y) dot += (a.weights[i++] as number) * (b.weights[j++] as number);
    else if (x < y) i++;
    else j++;
  }
  if (dot === 0) return 0;
  return dot / (a.norm * b.norm);
}

/**
 * True when a joins two adjacent terms into a stem b has (or a hash of one collides):
 * only then can compounds change a score, and joinCompounds looks at the words.
 */
export function sharesCompound(a: Features, b: Features): boolean {
  const ids = b.words.ids;
  for (let i = 0; i < a.compounds.length; i++) {
    for (let j = 0; j < ids.length; j++) if (ids[j] === a.compounds[i]) return true;
  }
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
