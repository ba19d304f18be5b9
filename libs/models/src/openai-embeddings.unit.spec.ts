import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ModelError, type ModelErrorCode } from './errors.ts';
import { OpenAICompatibleEmbedder } from './openai-embeddings.ts';

const API_KEY = 'sk-test-1a2b3c4d5e6f';

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: { model: string; input: string[] };
}

/** A vector that tells its text apart: its length and first char code. */
function vectorOf(text: string): number[] {
  return [text.length, text.charCodeAt(0), 0.5];
}

/** Behaves like /v1/embeddings; the first path segment picks the behaviour. */
function embeddingsServer(seen: Seen[]): Server {
  return createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const mode = path.split('/')[1] ?? '';
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({ path, authorization: req.headers.authorization, body });
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || !path.endsWith('/v1/embeddings')) {
        return json(404, { error: { message: `no route ${path}` } });
      }
      const items = body.input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: vectorOf(text),
      }));
      const answer = (data: unknown) =>
        json(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: 3 } });
      switch (mode) {
        case 'ok':
          return answer(items);
        case 'reversed':
          return answer([...items].reverse());
        case 'limited':
          return json(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '3' });
        case 'broken':
          return json(503, { error: { message: 'overloaded' } });
        case 'badkey':
          return json(401, { error: { message: `Incorrect API key provided: ${API_KEY}` } });
        case 'slow':
          return void setTimeout(() => answer(items), 2_000).unref();
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"data": [');
        case 'nodata':
          return json(200, { object: 'list', model: body.model });
        case 'short':
          return answer(items.slice(1));
        case 'strings':
          return answer(items.map((item) => ({ ...item, embedding: item.embedding.map(String) })));
        case 'noindex':
          return answer(items.map(({ embedding }) => ({ embedding })));
        case 'twice':
          return answer(items.map((item) => ({ ...item, index: 0 })));
        case 'ragged':
          return answer(items.map((item, i) => ({ ...item, embedding: item.embedding.slice(i) })));
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
    assert.doesNotMatch(error.message, /1a2b3c4d5e6f/, 'the API key leaked into the message');
    assert.doesNotMatch(
      JSON.stringify(error),
      /1a2b3c4d5e6f/,
      'the API key leaked into the fields',
    );
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('OpenAICompatibleEmbedder against a local embeddings server', () => {
  const seen: Seen[] = [];
  const server = embeddingsServer(seen);
  let base = '';
  const embedder = (
    mode: string,
    options: { apiKey?: string; timeoutMs?: number; batchSize?: number } = {},
  ) =>
    new OpenAICompatibleEmbedder({
      baseUrl: `${base}/${mode}/v1/`,
      model: 'embed-test',
      timeoutMs: options.timeoutMs ?? 5_000,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      apiKey: 'apiKey' in options ? options.apiKey : API_KEY,
    });

  before(async () => {
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('posts the model and inputs with the key, and returns one vector per text', async () => {
    seen.length = 0;
    const vectors = await embedder('ok').embed(['kafka security', 'agent observability']);
    assert.deepEqual(vectors, [vectorOf('kafka security'), vectorOf('agent observability')]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.path, '/ok/v1/embeddings');
    assert.equal(seen[0]?.authorization, `Bearer ${API_KEY}`);
    assert.deepEqual(seen[0]?.body, {
      model: 'embed-test',
      input: ['kafka security', 'agent observability'],
    });
  });

  it('sends no Authorization header without a key', async () => {
    seen.length = 0;
    await embedder('ok', { apiKey: '' }).embed(['x']);
    assert.equal(seen[0]?.authorization, undefined);
  });

  it('sends one request per batch, in order, and asks nothing for no texts', async () => {
    seen.length = 0;
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await embedder('ok', { batchSize: 2 }).embed(texts);
    assert.deepEqual(vectors, texts.map(vectorOf));
    assert.deepEqual(
      seen.map((request) => request.body.input),
      [['a', 'bb'], ['ccc', 'dddd'], ['eeeee']],
    );
    seen.length = 0;
    assert.deepEqual(await embedder('ok').embed([]), []);
    assert.equal(seen.length, 0);
  });

  it('orders the vectors by each item’s index, not by the order of data', async () => {
    const texts = ['one', 'two', 'three'];
    assert.deepEqual(await embedder('reversed').embed(texts), texts.map(vectorOf));
  });

  it('rejects a batch size that is not a positive integer', () => {
    assert.throws(
      () => embedder('ok', { batchSize: 0.5 }),
      (error: unknown) => error instanceof ModelError && error.code === 'MODEL_CONFIG_INVALID',
    );
  });

  const cases: [string, ModelErrorCode, number | undefined, RegExp][] = [
    ['limited', 'MODEL_RATE_LIMITED', 429, /rate limiting us \(retry after 3000 ms\)/],
    ['broken', 'MODEL_UNAVAILABLE', 503, /answered 503: overloaded/],
    ['badkey', 'MODEL_BAD_REQUEST', 401, /rejected the request \(401\).*\[redacted\]/],
    ['garbage', 'MODEL_BAD_RESPONSE', 200, /not JSON/],
    ['nodata', 'MODEL_BAD_RESPONSE', 200, /sent no data array/],
    ['short', 'MODEL_BAD_RESPONSE', 200, /sent 1 embeddings for 2 inputs/],
    ['strings', 'MODEL_BAD_RESPONSE', 200, /at index 0 that is not a list of numbers/],
    ['noindex', 'MODEL_BAD_RESPONSE', 200, /without a valid index/],
    ['twice', 'MODEL_BAD_RESPONSE', 200, /sent index 0 twice/],
    ['ragged', 'MODEL_BAD_RESPONSE', 200, /vectors of different lengths/],
  ];
  for (const [mode, code, status, message] of cases) {
    it(`maps "${mode}" to ${code}`, async () => {
      const error = await failure(embedder(mode).embed(['kafka', 'agents']));
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      assert.match(
        error.message,
        /^MODEL_\w+: embeddings endpoint http:\/\/127\.0\.0\.1:\d+\/\w+\/v1\/embeddings /,
      );
      assert.match(error.message, message);
    });
  }

  // The slow server answers after 2 s: only the embedder's 100 ms timeout makes this a failure.
  it('times out a slow server with MODEL_TIMEOUT', async () => {
    const error = await failure(embedder('slow', { timeoutMs: 100 }).embed(['x']));
    assert.equal(error.code, 'MODEL_TIMEOUT');
    assert.equal(error.details.timeoutMs, 100);
  });

  it("tells the caller's own abort apart from a timeout", async () => {
    const controller = new AbortController();
    const call = embedder('slow').embed(['x'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    assert.equal((await failure(call)).code, 'MODEL_ABORTED');
  });

  it('reports a server nobody listens on as MODEL_UNAVAILABLE', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new OpenAICompatibleEmbedder({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: API_KEY,
      model: 'embed-test',
      timeoutMs: 5_000,
    });
    const error = await failure(unreachable.embed(['x']));
    assert.equal(error.code, 'MODEL_UNAVAILABLE');
    assert.match(error.message, /ECONNREFUSED/);
  });
});
