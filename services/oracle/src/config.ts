import { Type } from '@sinclair/typebox';
import { configFragment, type ConfigOf } from '@paxfleet/core';
import { RateLimiter } from '@paxfleet/models';
import type { ServiceLogger } from '@paxfleet/service';
import { AuditApiClient } from './audit-api.ts';
import { LocalKeywordRecommender, type KeywordSource } from './keywords.ts';

/** The oracle's own variables, next to every agent's (MAX_EVENT_AGE_MS, BLOB_STORE...). */
export const oracleConfig = configFragment('Oracle', {
  AUDIT_API_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s]+$',
      errorMessage: 'must be an http:// or https:// URL',
      description:
        'The SEO audit API that ranks keywords; unset, they are ranked locally, with no network.',
    }),
  ),
  AUDIT_API_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The bearer token of the audit API, if it needs one.',
    }),
  ),
  AUDIT_API_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'The longest one audit API call may take.',
  }),
  AUDIT_API_REQUESTS_PER_SECOND: Type.Number({
    exclusiveMinimum: 0,
    default: 1,
    description: 'Audit API calls started per second by this instance.',
  }),
  AUDIT_API_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 10,
    default: 5,
    description: 'Tries per audit API call, honouring Retry-After.',
  }),
});

export type OracleConfig = ConfigOf<typeof oracleConfig>;

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
