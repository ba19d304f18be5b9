import type { Similarity } from '../similarity.ts';
import {
  compoundStems,
  cosine,
  features,
  joinCompounds,
  sharesCompound,
  type Features,
} from './features.ts';
import { subjectTerms } from './terms.ts';

/**
 * How much each view counts: words most, then which words go together, then spelling.
 * Two subjects that share no term score from the trigrams alone, at most
 * grams / (words + grams) ≈ 0.29: below any useful threshold, as `terms` promises.
 */
export const BLEND = { words: 0.5, pairs: 0.3, grams: 0.2 } as const;

const DEFAULT_CACHE_SIZE = 10_000;

export interface LexicalSimilarityOptions {
  /** How many subjects' features are kept (oldest dropped first). */
  readonly cacheSize?: number;
}

/**
 * How alike two topics are from their words alone: no model, no network, the same
 * answer every time. A topic becomes its canonical terms (stop words and filler out,
 * stemmed, synonyms and abbreviations in one form), compared as a set so word order
 * does not matter; the score blends the cosine of the terms, of the pairs of terms
 * and of the stems' character trigrams.
 */
export class LexicalSimilarity implements Similarity<Features> {
  readonly method = 'lexical';
  readonly #cache = new Map<string, Features>();
  readonly #cacheSize: number;

  constructor(options: LexicalSimilarityOptions = {}) {
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  }

  prepare(_subjects: readonly string[]): Promise<void> {
    return Promise.resolve();
  }

  prepared(_subject: string): boolean {
    return true;
  }

  /** The canonical stems, and each two adjacent joined: a compound another subject may write as one word. */
  terms(subject: string): readonly string[] {
    const { terms } = this.fingerprint(subject);
    return [...new Set([...terms.map((term) => term.stem), ...compoundStems(terms)])];
  }

  /** The subject's features, kept for the last `cacheSize` subjects asked for. */
  fingerprint(subject: string): Features {
    const cached = this.#cache.get(subject);
    if (cached !== undefined) return cached;
    const computed = features(subjectTerms(subject));
    if (this.#cache.size >= this.#cacheSize) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(subject, computed);
    return computed;
  }

  score(a: string, b: string): number {
    return this.compare(this.fingerprint(a), this.fingerprint(b));
  }

  /**
   * Symmetric to the last bit: each cosine sums in the order of the feature ids, whichever
   * subject comes first. With `floor`, a pair that cannot reach it is told as soon as that
   * is certain (terms and pairs known, trigrams at best identical): the answer is then
   * below `floor` but not the whole score. An index asks thousands of pairs a claim.
   */
  compare(a: Features, b: Features, floor = 0): number {
    const left = withCompounds(a, b);
    const right = withCompounds(b, a);
    const hasPairs = left.pairs.ids.length > 0 || right.pairs.ids.length > 0;
    const total = BLEND.words + BLEND.grams + (hasPairs ? BLEND.pairs : 0);
    const known =
      BLEND.words * cosine(left.words, right.words) +
      (hasPairs ? BLEND.pairs * cosine(left.pairs, right.pairs) : 0);
    if ((known + BLEND.grams) / total + ROUNDING < floor) return rounded(known / total);
    return rounded((known + BLEND.grams * cosine(left.grams, right.grams)) / total);
  }
}

/** Half the last decimal kept: how much rounding can raise a score. */
const ROUNDING = 0.00005;

function rounded(score: number): number {
  return Math.round(Math.min(1, score) * 10_000) / 10_000;
}

function withCompounds(subject: Features, other: Features): Features {
  if (!sharesCompound(subject, other)) return subject;
  const terms = joinCompounds(subject.terms, other.terms);
  return terms === subject.terms ? subject : features(terms);
}
