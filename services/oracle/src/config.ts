import { Type, type Static } from '@sinclair/typebox';
import { RateLimiter } from '@paxfleet/models';
import { loadConfig, type Env, type ServiceLogger } from '@paxfleet/service';
import { AuditApiClient } from './audit-api.ts';
import { LocalKeywordRecommender, type KeywordSource } from './keywords.ts';

/** The oracle's own settings, next to the agent kit's (MAX_EVENT_AGE_MS, BLOB_DIR...). */
export const oracleConfigSchema = Type.Object(
  {
    /** Unset: keywords are ranked locally, with no network. */
    AUDIT_API_URL: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s]+$',
        errorMessage: 'must be an http:// or https:// URL',
      }),
    ),
    AUDIT_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
    AUDIT_API_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
    AUDIT_API_REQUESTS_PER_SECOND: Type.Number({ exclusiveMinimum: 0, default: 1 }),
    AUDIT_API_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 5 }),
  },
  { additionalProperties: false },
);

export type OracleConfig = Static<typeof oracleConfigSchema>;

/** Validated at boot; a bad value stops the oracle with a message naming the variable. */
export function loadOracleConfig(env: Env): Readonly<OracleConfig> {
  return loadConfig(oracleConfigSchema, env);
}

/** The API's backoff ceiling, also the longest Retry-After honoured (see AuditApiClient). */
const MAX_RETRY_DELAY_MS = 30_000;

/** The rate-limited audit API when AUDIT_API_URL is set, else the local recommender. */
export function keywordSourceFromConfig(
  config: OracleConfig,
  logger: ServiceLogger,
): KeywordSource {
  if (config.AUDIT_API_URL === undefined) return new LocalKeywordRecommender();
  const limiter = new RateLimiter({
    requestsPerSecond: config.AUDIT_API_REQUESTS_PER_SECOND,
    maxAttempts: config.AUDIT_API_MAX_ATTEMPTS,
    baseDelayMs: 500,
    maxDelayMs: MAX_RETRY_DELAY_MS,
    onRetry: (error, attempt, delayMs) =>
      logger.warn('audit API call failed; retrying', {
        attempt,
        delay_ms: delayMs,
        error: (error as Error).message,
      }),
    onThrottle: (waitMs) => logger.debug('audit API call waits for its turn', { wait_ms: waitMs }),
  });
  return new AuditApiClient({
    url: config.AUDIT_API_URL,
    ...(config.AUDIT_API_KEY !== undefined && { apiKey: config.AUDIT_API_KEY }),
    timeoutMs: config.AUDIT_API_TIMEOUT_MS,
    limiter,
    maxRetryAfterMs: MAX_RETRY_DELAY_MS,
  });
}
