export { OverlapError, type OverlapErrorCode } from './errors.ts';
export { SIMILARITY_METHODS, type Similarity, type SimilarityMethodName } from './similarity.ts';
export { DEFAULT_THRESHOLDS } from './thresholds.ts';
export {
  EmbeddingSimilarity,
  type Embedder,
  type EmbeddingSimilarityOptions,
} from './embedding/embedding-similarity.ts';
export { LexicalSimilarity, type LexicalSimilarityOptions } from './lexical/lexical-similarity.ts';
export {
  PAIR_LABELS,
  parseLabelledPairs,
  readLabelledPairs,
  type LabelledPair,
  type PairLabel,
} from './pairs.ts';
