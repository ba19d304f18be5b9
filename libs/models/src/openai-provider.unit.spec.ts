import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ModelError, type ModelErrorCode } from './errors.ts';
import { parseRetryAfter } from './http-errors.ts';
import { OpenAICompatibleProvider } from './openai-provider.ts';
import { RateLimitedProvider } from './rate-limiter.ts';

const API_KEY = 'sk-test-9f8e7d6c5b4a';

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** Behaves like /v1/chat/completions; the first path segment picks the behaviour. */
function chatServer(seen: Seen[]): Server {
  const failuresLeft = new Map([['flaky', 1]]);
  return createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const mode = path.split('/')[1] ?? '';
      seen.push({
        path,
        authorization: req.headers.authorization,
        body: JSON.parse(raw) as unknown,
      });
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !path.endsWith('/v1/chat/completions')) {
        return json(404, { error: { message: `no route ${path}` } });
      }
      const completion = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-test-2025',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Kafka is a log.' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
      };
      switch (mode) {
        case 'ok':
          return json(200, completion);
        case 'limited':
          return json(
            429,
            { error: { message: 'Rate limit reached for requests' } },
            { 'retry-after': '7' },
          );
        case 'limited-date':
          return json(
            429,
            { error: { message: 'slow down' } },
            { 'retry-after': new Date(Date.now() + 60_000).toUTCString() },
          );
        case 'flaky': {
          const left = failuresLeft.get('flaky') ?? 0;
          failuresLeft.set('flaky', left - 1);
          return left > 0
            ? json(429, { error: { message: 'busy' } }, { 'retry-after': '0' })
            : json(200, completion);
        }
        case 'broken':
          return json(500, { error: { message: 'The server had an error' } });
        case 'badkey':
          return json(401, {
            error: {
              message: `Incorrect API key provided: ${API_KEY.slice(0, 3)}...; full ${API_KEY}`,
            },
          });
        case 'ollama400':
          return json(400, { error: 'model "nope" not found, try pulling it first' });
        case 'slow':
          return void setTimeout(() => json(200, completion), 2_000).unref();
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"choices": [');
        case 'nochoices':
          return json(200, { choices: [], usage: {} });
        default:
          return json(404, { error: { message: 'unknown mode' } });
      }
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelError, `not a ModelError: ${String(error)}`);
    assert.doesNotMatch(error.message, /9f8e7d6c5b4a/, 'the API key leaked into the message');
    assert.doesNotMatch(
      JSON.stringify(error),
      /9f8e7d6c5b4a/,
      'the API key leaked into the fields',
    );
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('OpenAICompatibleProvider against a local chat-completions server', () => {
  const seen: Seen[] = [];
  const server = chatServer(seen);
  let base = '';
  const provider = (mode: string, options: { apiKey?: string; timeoutMs?: number } = {}) =>
    new OpenAICompatibleProvider({
      baseUrl: `${base}/${mode}/v1/`,
      model: 'gpt-test',
      timeoutMs: options.timeoutMs ?? 5_000,
      ...('apiKey' in options ? options : { apiKey: API_KEY }),
    });

  before(async () => {
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends the chat request and parses the completion and usage', async () => {
    seen.length = 0;
    const completion = await provider('ok').complete({
      system: 'You are the research agent.',
      prompt: 'What is Kafka?',
      maxTokens: 64,
      temperature: 0.2,
    });
    assert.deepEqual(completion, {
      text: 'Kafka is a log.',
      model: 'gpt-test-2025',
      provider: 'openai',
      promptTokens: 12,
      completionTokens: 5,
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.path, '/ok/v1/chat/completions');
    assert.equal(seen[0]?.authorization, `Bearer ${API_KEY}`);
    assert.deepEqual(seen[0]?.body, {
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are the research agent.' },
        { role: 'user', content: 'What is Kafka?' },
      ],
      max_tokens: 64,
      temperature: 0.2,
    });
  });

  it('sends no Authorization header and no system message when there are none (Ollama, vLLM)', async () => {
    seen.length = 0;
    await provider('ok', { timeoutMs: 5_000, apiKey: '' }).complete({ prompt: 'hi' });
    assert.equal(seen[0]?.authorization, undefined);
    assert.deepEqual(seen[0]?.body, {
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  const cases: [string, ModelErrorCode, number | undefined, RegExp][] = [
    [
      'limited',
      'MODEL_RATE_LIMITED',
      429,
      /rate limiting us \(retry after 7000 ms\): Rate limit reached/,
    ],
    ['broken', 'MODEL_UNAVAILABLE', 500, /answered 500: The server had an error/],
    [
      'badkey',
      'MODEL_BAD_REQUEST',
      401,
      /rejected the request \(401\): Incorrect API key provided: sk-\.\.\.; full \[redacted\]/,
    ],
    ['ollama400', 'MODEL_BAD_REQUEST', 400, /model "nope" not found/],
    ['garbage', 'MODEL_BAD_RESPONSE', 200, /not JSON/],
    ['nochoices', 'MODEL_BAD_RESPONSE', 200, /no choices\[0\]\.message\.content/],
  ];
  for (const [mode, code, status, message] of cases) {
    it(`maps "${mode}" to ${code}`, async () => {
      const error = await failure(provider(mode).complete({ prompt: 'x' }));
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      assert.match(error.message, message);
    });
  }

  it('carries Retry-After as milliseconds, from seconds or an HTTP-date', async () => {
    assert.equal(
      (await failure(provider('limited').complete({ prompt: 'x' }))).retryAfterMs,
      7_000,
    );
    const dated = (await failure(provider('limited-date').complete({ prompt: 'x' }))).retryAfterMs;
    assert.ok(dated !== undefined && dated > 55_000 && dated <= 60_000, String(dated));
  });

  // The slow server answers after 2 s: only the provider's 100 ms timeout makes this a failure.
  it('times out a slow server with MODEL_TIMEOUT', async () => {
    const error = await failure(provider('slow', { timeoutMs: 100 }).complete({ prompt: 'x' }));
    assert.equal(error.code, 'MODEL_TIMEOUT');
    assert.equal(error.details.timeoutMs, 100);
  });

  it("tells the caller's own abort apart from a timeout", async () => {
    const controller = new AbortController();
    const call = provider('slow').complete({ prompt: 'x', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    assert.equal((await failure(call)).code, 'MODEL_ABORTED');
  });

  it('reports a server nobody listens on as MODEL_UNAVAILABLE', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new OpenAICompatibleProvider({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: API_KEY,
      model: 'gpt-test',
      timeoutMs: 5_000,
    });
    const error = await failure(unreachable.complete({ prompt: 'x' }));
    assert.equal(error.code, 'MODEL_UNAVAILABLE');
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('gets through a 429 when rate limited, honouring Retry-After', async () => {
    seen.length = 0;
    const retries: number[] = [];
    const limited = new RateLimitedProvider(provider('flaky'), {
      requestsPerSecond: 100,
      onRetry: (_error, _attempt, delayMs) => retries.push(delayMs),
    });
    assert.equal((await limited.complete({ prompt: 'x' })).text, 'Kafka is a log.');
    assert.deepEqual(retries, [0]);
    assert.equal(seen.length, 2);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP-dates, and ignores nonsense', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('2', now), 2_000);
    assert.equal(parseRetryAfter('0.5', now), 500);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});
