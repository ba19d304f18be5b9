export { OverlapError, type OverlapErrorCode } from './errors.ts';
export { SIMILARITY_METHODS, type Similarity, type SimilarityMethodName } from './similarity.ts';
export { DEFAULT_THRESHOLDS } from './thresholds.ts';
export {
  EmbeddingSimilarity,
  type Embedder,
  type EmbeddingSimilarityOptions,
} from './embedding/embedding-similarity.ts';
