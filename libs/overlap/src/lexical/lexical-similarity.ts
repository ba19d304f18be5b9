import type { Similarity } from '../similarity.ts';
import { cosine, features, joinCompounds, sharesCompound, type Features } from './features.ts';
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
export class LexicalSimilarity implements Similarity {
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
    const { stems, compounds } = this.#features(subject);
    return [...new Set([...stems, ...compounds])];
  }

  /** Computed in one order of the two subjects whichever way they are asked, so it is symmetric to the last bit. */
  score(a: string, b: string): number {
    const [x, y] = a <= b ? [a, b] : [b, a];
    const first = this.#features(x);
    const second = this.#features(y);
    const left = withCompounds(first, second);
    const right = withCompounds(second, first);
    const hasPairs = left.pairs.weights.size > 0 || right.pairs.weights.size > 0;
    const total = BLEND.words + BLEND.grams + (hasPairs ? BLEND.pairs : 0);
    const blended =
      BLEND.words * cosine(left.words, right.words) +
      BLEND.grams * cosine(left.grams, right.grams) +
      (hasPairs ? BLEND.pairs * cosine(left.pairs, right.pairs) : 0);
    return Math.round(Math.min(1, blended / total) * 10_000) / 10_000;
  }

  #features(subject: string): Features {
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
}

function withCompounds(subject: Features, other: Features): Features {
  if (!sharesCompound(subject, other)) return subject;
  const terms = joinCompounds(subject.terms, other.terms);
  return terms === subject.terms ? subject : features(terms);
}
