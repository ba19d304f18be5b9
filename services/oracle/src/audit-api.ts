import {
  displayUrl,
  ModelError,
  modelErrorForFetchFailure,
  modelErrorForResponse,
  retryAfterFromHeaders,
  type RateLimiter,
} from '@paxfleet/models';
import type { KeywordRequest, KeywordSource } from './keywords.ts';

export interface AuditApiOptions {
  /** POST target; receives {topic, text} and answers {keywords: string[]}. */
  readonly url: string;
  /** Sent as a Bearer token when set. */
  readonly apiKey?: string;
  /** Budget of one attempt: connecting, waiting and reading the body. */
  readonly timeoutMs: number;
  /** Paces every call and retries 429, 5xx, timeouts and network errors with backoff. */
  readonly limiter: RateLimiter;
  /**
   * Longest Retry-After honoured. A handler that waits longer than the consumer's poll
   * interval (5 minutes) drops out of its group; a longer wait is cut to this.
   */
  readonly maxRetryAfterMs?: number;
  readonly fetch?: typeof fetch;
  /** For Retry-After given as an HTTP-date. */
  readonly clock?: () => number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;

/** The external keyword API of the audit agent, called through the fleet's rate limiter. */
export class AuditApiClient implements KeywordSource {
  readonly name: string;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #limiter: RateLimiter;
  readonly #maxRetryAfterMs: number;
  readonly #fetch: typeof fetch;
  readonly #clock: () => number;

  constructor(options: AuditApiOptions) {
    this.#url = options.url;
    this.name = displayUrl(options.url, 'AUDIT_API_URL');
    this.#apiKey = options.apiKey || undefined;
    this.#timeoutMs = options.timeoutMs;
    this.#limiter = options.limiter;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#clock = options.clock ?? Date.now;
  }

  keywords(request: KeywordRequest, signal?: AbortSignal): Promise<string[]> {
    return this.#limiter.run(() => this.#call(request, signal), signal ? { signal } : {});
  }

  async #call(request: KeywordRequest, callerSignal: AbortSignal | undefined): Promise<string[]> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let status: number;
    let responseHeaders: Headers;
    let body: string;
    try {
      const response = await this.#fetch(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ topic: request.topic, text: request.text }),
        signal,
      });
      status = response.status;
      responseHeaders = response.headers;
      body = await response.text();
    } catch (error) {
      throw modelErrorForFetchFailure(error, {
        what: `audit API ${this.name}`,
        callerSignal,
        timeout,
        timeoutMs: this.#timeoutMs,
        secrets: [this.#apiKey],
      });
    }
    if (status < 200 || status > 299) {
      throw modelErrorForResponse(
        { status, headers: this.#capRetryAfter(responseHeaders), body },
        { now: this.#clock(), what: `audit API ${this.name}`, secrets: [this.#apiKey] },
      );
    }
    return this.#parse(body, status);
  }

  #capRetryAfter(headers: Headers): Headers {
    const now = this.#clock();
    const asked = retryAfterFromHeaders(headers, now);
    if (asked === undefined || asked <= this.#maxRetryAfterMs) return headers;
    const capped = new Headers(headers);
    capped.delete('retry-after-ms');
    capped.set('retry-after', String(this.#maxRetryAfterMs / 1000));
    return capped;
  }

  #parse(body: string, status: number): string[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new ModelError(
        'MODEL_BAD_RESPONSE',
        `audit API ${this.name} sent a body that is not JSON`,
        {
          cause: error,
          details: { status },
        },
      );
    }
    const keywords =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { keywords?: unknown }).keywords
        : undefined;
    if (!Array.isArray(keywords) || !keywords.every((keyword) => typeof keyword === 'string')) {
      throw new ModelError(
        'MODEL_BAD_RESPONSE',
        `audit API ${this.name} sent no keywords array of strings`,
        {
          details: { status },
        },
      );
    }
    return [
      ...new Set(keywords.map((keyword) => keyword.trim()).filter((keyword) => keyword !== '')),
    ];
  }
}
