import { setTimeout as delay } from 'node:timers/promises';
import { ModelError, isRetryableModelError } from './errors.ts';
import type { Completion, CompletionRequest, ModelProvider } from './model-provider.ts';

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BASE_DELAY_MS = 200;
export const DEFAULT_MAX_DELAY_MS = 10_000;

export interface RateLimiterOptions {
  /** Sustained rate; calls beyond it wait their turn instead of failing. */
  readonly requestsPerSecond: number;
  /** Calls allowed at once after a quiet spell; defaults to ceil(requestsPerSecond). */
  readonly burst?: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Which failures are worth another attempt; by default retryable ModelErrors. */
  readonly isRetryable?: (error: unknown) => boolean;
  readonly clock?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); the jitter source. */
  readonly random?: () => number;
  /** A failed attempt (1-based) will be retried after delayMs. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** A call waits waitMs for its turn in the bucket. */
  readonly onThrottle?: (waitMs: number) => void;
}

export interface RunOptions {
  /** Stops waiting (for a turn or a retry) and fails the call with MODEL_ABORTED. */
  readonly signal?: AbortSignal;
}

/**
 * A token bucket with retries, for any call to a rate-limited external API. Calls queue
 * for their turn (first come, first served), failures that may pass are retried with
 * exponential backoff and full jitter, and a server's Retry-After pauses every caller:
 * a throttled API slows the fleet down, it does not fail it.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #isRetryable: (error: unknown) => boolean;
  readonly #clock: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #onRetry: RateLimiterOptions['onRetry'];
  readonly #onThrottle: RateLimiterOptions['onThrottle'];
  /** The generic cell rate algorithm's theoretical arrival time: when the bucket is full again. */
  #fullAt = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimiterOptions) {
    const burst = options.burst ?? Math.max(1, Math.ceil(options.requestsPerSecond));
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!(options.requestsPerSecond > 0) || !Number.isFinite(options.requestsPerSecond)) {
      throw invalid('requestsPerSecond must be a positive number', options.requestsPerSecond);
    }
    if (!Number.isInteger(burst) || burst < 1)
      throw invalid('burst must be an integer >= 1', burst);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw invalid('maxAttempts must be an integer >= 1', maxAttempts);
    }
    this.#intervalMs = 1000 / options.requestsPerSecond;
    this.#toleranceMs = (burst - 1) * this.#intervalMs;
    this.#maxAttempts = maxAttempts;
    this.#baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.#maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.#isRetryable = options.isRetryable ?? isRetryableModelError;
    this.#clock = options.clock ?? Date.now;
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
    this.#onThrottle = options.onThrottle;
  }

  /** Runs fn when the bucket allows, retrying what may pass; throws the last error. */
  async run<T>(fn: (attempt: number) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const { signal } = options;
    for (let attempt = 1; ; attempt++) {
      await this.acquire(signal);
      try {
        return await fn(attempt);
      } catch (error) {
        if (attempt >= this.#maxAttempts || !this.#isRetryable(error) || signal?.aborted)
          throw error;
        const retryAfterMs = error instanceof ModelError ? error.retryAfterMs : undefined;
        const delayMs = retryAfterMs ?? this.#backoff(attempt);
        // The server spoke for everyone: nobody gets a turn before it said we may.
        if (retryAfterMs !== undefined) this.#pauseUntil(this.#clock() + retryAfterMs);
        this.#onRetry?.(error, attempt, delayMs);
        await this.#wait(delayMs, signal);
      }
    }
  }

  /** Waits for a turn in the bucket. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw aborted(signal);
    const now = this.#clock();
    const fullAt = Math.max(this.#fullAt, now);
    const waitMs = Math.max(0, Math.ceil(fullAt - this.#toleranceMs - now));
    this.#fullAt = fullAt + this.#intervalMs;
    if (waitMs === 0) return;
    this.#onThrottle?.(waitMs);
    await this.#wait(waitMs, signal);
  }

  #pauseUntil(time: number): void {
    this.#fullAt = Math.max(this.#fullAt, time + this.#toleranceMs);
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))). */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.#random() * ceiling);
  }

  async #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      if (ms > 0) await this.#sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) throw aborted(signal);
      throw error;
    }
    if (signal?.aborted) throw aborted(signal);
  }
}

/** A ModelProvider whose calls go through a RateLimiter (its own, or one shared). */
export class RateLimitedProvider implements ModelProvider {
  readonly name: string;
  readonly #inner: ModelProvider;
  readonly #limiter: RateLimiter;

  constructor(inner: ModelProvider, limiter: RateLimiter | RateLimiterOptions) {
    this.name = inner.name;
    this.#inner = inner;
    this.#limiter = limiter instanceof RateLimiter ? limiter : new RateLimiter(limiter);
  }

  complete(request: CompletionRequest): Promise<Completion> {
    return this.#limiter.run(() => this.#inner.complete(request), { signal: request.signal });
  }
}

function aborted(signal: AbortSignal): ModelError {
  return new ModelError('MODEL_ABORTED', 'the caller aborted while waiting for its turn', {
    cause: signal.reason,
  });
}

function invalid(message: string, value: unknown): ModelError {
  return new ModelError('MODEL_CONFIG_INVALID', `${message} (got ${String(value)})`);
}
