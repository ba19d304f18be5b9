import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelError } from './errors.ts';
import { modelErrorForResponse } from './http-errors.ts';
import type { Completion, CompletionRequest, ModelProvider } from './model-provider.ts';
import { RateLimitedProvider, RateLimiter, type RateLimiterOptions } from './rate-limiter.ts';

/** Virtual time: sleeps resolve only when settle() moves the clock to them. */
class VirtualTime {
  now = 0;
  readonly sleeps: number[] = [];
  #timers: { at: number; order: number; resolve: () => void }[] = [];
  #order = 0;

  readonly clock = (): number => this.now;
  /** Like timers/promises' setTimeout: an abort rejects the sleep at once. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      this.#timers.push({ at: this.now + ms, order: this.#order++, resolve });
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  };

  /** Runs timers in time order until every promise has settled. */
  async settle<T>(promises: readonly Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    let done = false;
    const all = Promise.allSettled(promises).then((results) => {
      done = true;
      return results;
    });
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done) return all;
      this.#timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.#timers.shift();
      if (next === undefined) throw new Error('stuck: promises pending and no timers');
      this.now = Math.max(this.now, next.at);
      next.resolve();
    }
  }
}

/** Fails with the scripted errors in turn, then answers; records when each call started. */
class ScriptedProvider implements ModelProvider {
  readonly name = 'scripted';
  readonly startedAt: number[] = [];
  readonly #time: VirtualTime;
  readonly #failures: (Error | undefined)[];

  constructor(time: VirtualTime, failures: (Error | undefined)[] = []) {
    this.#time = time;
    this.#failures = [...failures];
  }

  complete(request: CompletionRequest): Promise<Completion> {
    this.startedAt.push(this.#time.now);
    const failure = this.#failures.shift();
    if (failure) return Promise.reject(failure);
    return Promise.resolve({ text: `re: ${request.prompt}`, model: 'm', provider: this.name });
  }
}

const rateLimited = (retryAfterMs?: number) =>
  new ModelError('MODEL_RATE_LIMITED', '429', {
    details: { status: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  });
const unavailable = () => new ModelError('MODEL_UNAVAILABLE', '503', { details: { status: 503 } });

function setup(failures: (Error | undefined)[], options: Partial<RateLimiterOptions> = {}) {
  const time = new VirtualTime();
  const inner = new ScriptedProvider(time, failures);
  const retries: [string, number, number][] = [];
  const throttles: number[] = [];
  const provider = new RateLimitedProvider(inner, {
    requestsPerSecond: 100,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    onRetry: (error, attempt, delayMs) =>
      retries.push([(error as ModelError).code, attempt, delayMs]),
    onThrottle: (waitMs) => throttles.push(waitMs),
    ...options,
  });
  return { time, inner, provider, retries, throttles };
}

describe('RateLimitedProvider', () => {
  it('retries a 429 after exactly the Retry-After the server asked for, then succeeds', async () => {
    const { time, inner, provider, retries } = setup([rateLimited(3_000), rateLimited(1_500)], {
      random: () => 0.99,
    });
    const [result] = await time.settle([provider.complete({ prompt: 'hello' })]);
    assert.equal(result?.status, 'fulfilled');
    assert.equal(result.status === 'fulfilled' && result.value.text, 're: hello');
    assert.deepEqual(inner.startedAt, [0, 3_000, 4_500]);
    assert.deepEqual(retries, [
      ['MODEL_RATE_LIMITED', 1, 3_000],
      ['MODEL_RATE_LIMITED', 2, 1_500],
    ]);
    assert.equal(provider.name, 'scripted');
  });

  it('backs off exponentially with full jitter, capped at maxDelayMs', async () => {
    const { time, inner, provider, retries } = setup(
      [unavailable(), unavailable(), unavailable(), rateLimited()],
      {
        random: () => 0.5,
        baseDelayMs: 200,
        maxDelayMs: 500,
      },
    );
    await time.settle([provider.complete({ prompt: 'x' })]);
    // Ceilings 200, 400, 500 (capped), 500; half of each with random() = 0.5.
    assert.deepEqual(
      retries.map(([, , delay]) => delay),
      [100, 200, 250, 250],
    );
    assert.deepEqual(inner.startedAt, [0, 100, 300, 550, 800]);
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    const errors = [
      unavailable(),
      unavailable(),
      unavailable(),
      unavailable(),
      unavailable(),
      unavailable(),
    ];
    const { time, inner, provider, retries } = setup(errors);
    const [result] = await time.settle([provider.complete({ prompt: 'x' })]);
    assert.equal(result?.status, 'rejected');
    assert.equal(result.status === 'rejected' && result.reason, errors[4]);
    assert.equal(inner.startedAt.length, 5, 'default maxAttempts is 5');
    assert.equal(retries.length, 4);

    const three = setup([unavailable(), unavailable(), unavailable(), undefined], {
      maxAttempts: 3,
    });
    const [limited] = await three.time.settle([three.provider.complete({ prompt: 'x' })]);
    assert.equal(limited?.status, 'rejected');
    assert.equal(three.inner.startedAt.length, 3);
  });

  it('does not retry a bad request', async () => {
    const bad = new ModelError('MODEL_BAD_REQUEST', '400');
    const { time, inner, provider } = setup([bad, undefined]);
    const [result] = await time.settle([provider.complete({ prompt: 'x' })]);
    assert.equal(result?.status === 'rejected' && result.reason, bad);
    assert.equal(inner.startedAt.length, 1);
  });

  it('queues calls beyond the burst at the sustained rate instead of failing them', async () => {
    const { time, inner, provider, throttles } = setup([], { requestsPerSecond: 2, burst: 2 });
    const calls = Array.from({ length: 5 }, (_, i) => provider.complete({ prompt: `${i}` }));
    const results = await time.settle(calls);
    assert.ok(results.every((result) => result.status === 'fulfilled'));
    assert.deepEqual(inner.startedAt, [0, 0, 500, 1_000, 1_500]);
    assert.deepEqual(throttles, [500, 1_000, 1_500]);

    // After a quiet spell the bucket is full again: a new burst goes straight through.
    time.now = 10_000;
    await time.settle([provider.complete({ prompt: 'a' }), provider.complete({ prompt: 'b' })]);
    assert.deepEqual(inner.startedAt.slice(5), [10_000, 10_000]);
    assert.equal(throttles.length, 3);
  });

  it("holds every caller back until the server's Retry-After has passed", async () => {
    const { time, inner, provider } = setup([rateLimited(2_000)], {
      requestsPerSecond: 10,
      burst: 5,
    });
    const first = provider.complete({ prompt: 'first' });
    await new Promise((resolve) => setImmediate(resolve));
    const second = provider.complete({ prompt: 'second' });
    await time.settle([first, second]);
    assert.deepEqual(inner.startedAt, [0, 2_000, 2_100]);
  });

  it('stops waiting for its turn when the caller aborts', { timeout: 5_000 }, async () => {
    const { time, inner, provider } = setup([], { requestsPerSecond: 1, burst: 1 });
    await provider.complete({ prompt: 'takes the only token' });
    const controller = new AbortController();
    const waiting = provider.complete({ prompt: 'waits', signal: controller.signal });
    controller.abort();
    // The virtual clock never moves: only the abort can end the wait.
    await assert.rejects(
      waiting,
      (error: unknown) => error instanceof ModelError && error.code === 'MODEL_ABORTED',
    );
    assert.deepEqual(time.sleeps, [1_000]);
    assert.equal(inner.startedAt.length, 1);
  });
});

describe('RateLimiter', () => {
  it('retries any external call that fails with a retryable HTTP status', async () => {
    const time = new VirtualTime();
    const limiter = new RateLimiter({
      requestsPerSecond: 5,
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
    });
    const attempts: number[] = [];
    const audit = limiter.run(async (attempt) => {
      attempts.push(attempt);
      if (attempt === 1) {
        throw modelErrorForResponse(
          { status: 503, headers: new Headers(), body: 'maintenance' },
          { now: time.now, what: 'the audit API' },
        );
      }
      return Promise.resolve({ findings: 0 });
    });
    const [result] = await time.settle([audit]);
    assert.deepEqual(result?.status === 'fulfilled' && result.value, { findings: 0 });
    assert.deepEqual(attempts, [1, 2]);
  });

  it('rejects impossible settings', () => {
    for (const options of [
      { requestsPerSecond: 0 },
      { requestsPerSecond: 1, burst: 0 },
      { requestsPerSecond: 1, maxAttempts: 0 },
    ]) {
      assert.throws(
        () => new RateLimiter(options),
        (error: unknown) => error instanceof ModelError && error.code === 'MODEL_CONFIG_INVALID',
      );
    }
  });
});
