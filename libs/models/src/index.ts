export {
  ModelError,
  RETRYABLE_MODEL_ERROR_CODES,
  isRetryableModelError,
  type ModelErrorCode,
} from './errors.ts';
export {
  CHARS_PER_TOKEN,
  estimateTokens,
  promptHash,
  type Completion,
  type CompletionRequest,
  type ModelProvider,
} from './model-provider.ts';
export { ModelPrice, PriceTable } from './prices.ts';
export { OFFLINE_MODEL, OfflineModelProvider } from './offline-provider.ts';
export {
  OpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from './openai-provider.ts';
export {
  DEFAULT_EMBEDDING_BATCH_SIZE,
  OpenAICompatibleEmbedder,
  type OpenAICompatibleEmbedderOptions,
} from './openai-embeddings.ts';
export {
  displayUrl,
  modelErrorForFetchFailure,
  modelErrorForResponse,
  parseRetryAfter,
  retryAfterFromHeaders,
  type HttpFailure,
} from './http-errors.ts';
export {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  RateLimitedProvider,
  RateLimiter,
  type RateLimiterOptions,
  type RunOptions,
} from './rate-limiter.ts';
export {
  DEFAULT_MODEL_REQUESTS_PER_SECOND,
  DEFAULT_MODEL_TIMEOUT_MS,
  MODEL_PROVIDERS,
  modelApiProperties,
  modelConfig,
  modelProviderFromConfig,
  modelProviderFromEnv,
  type ModelConfig,
  type ModelProviderDeps,
  type ModelProviderKind,
} from './config.ts';
