import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { ModelError, RateLimiter, type RateLimiterOptions } from '@paxfleet/models';
import { AuditApiClient } from './audit-api.ts';

interface Seen {
  readonly method: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

type Reply = (response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 that answers each request with the next scripted reply. */
let server: Server;
let url: string;
let replies: Reply[] = [];
let seen: Seen[] = [];

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (response) => {
    // No keep-alive: each test starts without sockets left over from the one before.
    response.writeHead(status, {
      'content-type': 'application/json',
      connection: 'close',
      ...headers,
    });
    response.end(JSON.stringify(body));
  };
const never: Reply = () => {};

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: request.method,
        headers: request.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const reply = replies.shift() ?? json(500, { error: 'no reply scripted' });
      reply(response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/keywords`;
});

afterEach(() => {
  replies = [];
  seen = [];
  // Requests left hanging by the timeout test.
  server.closeAllConnections();
});

after(async () => {
  server.close();
  await once(server, 'close');
});

/** A limiter that records its waits instead of sleeping them, and retries without jitter surprises. */
function limiter(options: Partial<RateLimiterOptions> = {}) {
  const waits: number[] = [];
  const retries: { attempt: number; delayMs: number; code: string | undefined }[] = [];
  const instance = new RateLimiter({
    requestsPerSecond: 1000,
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    onRetry: (error, attempt, delayMs) =>
      retries.push({ attempt, delayMs, code: (error as ModelError).code }),
    ...options,
  });
  return { instance, waits, retries };
}

const request = { topic: 'agent-tracing', text: 'Agent tracing records every step.' };

describe('AuditApiClient against a local HTTP server', () => {
  it('POSTs {topic, text} as JSON and returns the keywords', async () => {
    replies.push(json(200, { keywords: ['agent tracing', ' spans ', 'spans', ''] }));
    const { instance } = limiter();
    const client = new AuditApiClient({ url, apiKey: 'k-123', timeoutMs: 2000, limiter: instance });
    assert.deepEqual(await client.keywords(request), ['agent tracing', 'spans']);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.headers['content-type'], 'application/json');
    assert.equal(seen[0]?.headers.authorization, 'Bearer k-123');
    assert.deepEqual(seen[0]?.body, request);
    assert.equal(client.name, url);
  });

  it('waits as long as a 429 says in Retry-After, then succeeds', async () => {
    replies.push(
      json(429, { error: { message: 'slow down' } }, { 'retry-after': '1' }),
      json(200, { keywords: ['spans'] }),
    );
    const { instance, waits, retries } = limiter();
    const client = new AuditApiClient({ url, timeoutMs: 2000, limiter: instance });
    assert.deepEqual(await client.keywords(request), ['spans']);
    assert.equal(seen.length, 2);
    assert.deepEqual(retries, [{ attempt: 1, delayMs: 1000, code: 'MODEL_RATE_LIMITED' }]);
    assert.equal(waits[0], 1000);
    assert.equal(seen[1]?.headers.authorization, undefined);
  });

  it('cuts a Retry-After longer than it may wait', async () => {
    replies.push(json(429, {}, { 'retry-after': '3600' }), json(200, { keywords: ['spans'] }));
    const { instance, retries } = limiter();
    const client = new AuditApiClient({
      url,
      timeoutMs: 2000,
      limiter: instance,
      maxRetryAfterMs: 5000,
    });
    assert.deepEqual(await client.keywords(request), ['spans']);
    assert.deepEqual(retries, [{ attempt: 1, delayMs: 5000, code: 'MODEL_RATE_LIMITED' }]);
  });

  it('retries a 5xx with backoff', async () => {
    replies.push(
      json(503, { error: 'maintenance' }),
      json(502, {}),
      json(200, { keywords: ['latency'] }),
    );
    const { instance, retries } = limiter();
    const client = new AuditApiClient({ url, timeoutMs: 2000, limiter: instance });
    assert.deepEqual(await client.keywords(request), ['latency']);
    // Full jitter at random() = 0.5: half of 100 ms, then half of 200 ms.
    assert.deepEqual(retries, [
      { attempt: 1, delayMs: 50, code: 'MODEL_UNAVAILABLE' },
      { attempt: 2, delayMs: 100, code: 'MODEL_UNAVAILABLE' },
    ]);
  });

  it('times out an attempt that gets no answer, retries, and fails with MODEL_TIMEOUT', async () => {
    replies.push(never, never);
    const { instance, retries } = limiter({ maxAttempts: 2 });
    const client = new AuditApiClient({ url, timeoutMs: 150, limiter: instance });
    const started = Date.now();
    await assert.rejects(client.keywords(request), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.code, 'MODEL_TIMEOUT');
      assert.match(error.message, /did not answer within 150 ms/);
      return true;
    });
    assert.ok(Date.now() - started >= 300, 'each attempt waited its full timeout');
    assert.equal(seen.length, 2);
    assert.deepEqual(
      retries.map(({ code }) => code),
      ['MODEL_TIMEOUT'],
    );
  });

  it('does not retry a request the API rejects', async () => {
    replies.push(json(400, { error: 'text too long' }));
    const { instance, retries } = limiter();
    const client = new AuditApiClient({ url, apiKey: 'k-123', timeoutMs: 2000, limiter: instance });
    await assert.rejects(client.keywords(request), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.code, 'MODEL_BAD_REQUEST');
      assert.match(error.message, /text too long/);
      return true;
    });
    assert.equal(seen.length, 1);
    assert.deepEqual(retries, []);
  });

  it('rejects an answer without a keywords array of strings', async () => {
    replies.push(json(200, { keywords: 'spans' }), (response) => {
      response.writeHead(200, { connection: 'close' });
      response.end('not json');
    });
    const { instance } = limiter();
    const client = new AuditApiClient({ url, timeoutMs: 2000, limiter: instance });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(client.keywords(request), (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.code, 'MODEL_BAD_RESPONSE');
        return true;
      });
    }
  });

  it('reports an unreachable API as unavailable, after its retries', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const { instance, retries } = limiter({ maxAttempts: 2 });
    const client = new AuditApiClient({
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 2000,
      limiter: instance,
    });
    await assert.rejects(client.keywords(request), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.equal(error.code, 'MODEL_UNAVAILABLE');
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
    assert.equal(retries.length, 1);
  });
});
