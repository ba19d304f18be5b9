import type { SimilarityMethodName } from './similarity.ts';

/**
 * The score at or above which two pieces of work are the same work, per method:
 * the defaults `make bench-overlap` justifies on data/topic-pairs.tsv.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<SimilarityMethodName, number>> = {
  lexical: 0.6,
  embedding: 0.8,
};
