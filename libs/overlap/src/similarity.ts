/** The ways of scoring how alike two pieces of work are. */
export const SIMILARITY_METHODS = ['lexical', 'embedding'] as const;
export type SimilarityMethodName = (typeof SIMILARITY_METHODS)[number];

/**
 * Scores two subjects (a topic slug such as `agent-observability-platforms`, or
 * a topic in words) from 0 (nothing alike) to 1 (the same work). The score of a
 * pair is symmetric and the same every time it is asked: decisions that use it
 * can be replayed.
 */
export interface Similarity<Fingerprint = unknown> {
  readonly method: SimilarityMethodName;
  /**
   * Makes `score` answer for these subjects without waiting: a method that asks
   * a server (embeddings) fetches what its cache lacks; a local one returns at once.
   */
  prepare(subjects: readonly string[]): Promise<void>;
  /** True when `score` can answer for this subject now. */
  prepared(subject: string): boolean;
  /**
   * The index terms of a subject (for the lexical method, its canonical word stems after
   * stop words and synonyms): two subjects that share none score below every useful
   * threshold, so an index compares a subject only with those sharing a term. Undefined:
   * the method cannot say (embeddings), and an index compares with every subject.
   */
  terms(subject: string): readonly string[] | undefined;
  /**
   * What a subject is compared by (its features, its vector): an index keeps it for each
   * piece of work, so comparing many costs no recomputation and no cache. Throws
   * OVERLAP_NOT_PREPARED for a subject `prepare` has not made ready.
   */
  fingerprint(subject: string): Fingerprint;
  /**
   * 0..1, symmetric, rounded to 4 decimals. With `floor`, a method may stop early for a
   * pair that cannot reach it and answer any score below `floor`; at or above it, the
   * answer is the whole score.
   */
  compare(a: Fingerprint, b: Fingerprint, floor?: number): number;
  /** `compare` of the two subjects' fingerprints. */
  score(a: string, b: string): number;
}
