import { ModelError } from './errors.ts';
import {
  displayUrl,
  isRecord,
  modelErrorForFetchFailure,
  modelErrorForResponse,
  scrub,
} from './http-errors.ts';

/** Inputs per request: well under OpenAI's 2048, and small enough to stay within one timeout. */
export const DEFAULT_EMBEDDING_BATCH_SIZE = 64;

export interface OpenAICompatibleEmbedderOptions {
  /** Up to the version segment, as for chat: https://api.openai.com/v1, http://127.0.0.1:11434/v1. */
  readonly baseUrl: string;
  /** Sent as a Bearer token when set; local servers usually need none. */
  readonly apiKey?: string;
  /** text-embedding-3-small, all-MiniLM-L6-v2... */
  readonly model: string;
  /** Budget of each request (one batch): connecting, waiting and reading the body. */
  readonly timeoutMs: number;
  readonly batchSize?: number;
  readonly fetch?: typeof fetch;
  /** For Retry-After given as an HTTP-date. */
  readonly clock?: () => number;
}

/**
 * Embeddings over HTTP from any OpenAI-compatible `POST <base>/embeddings`
 * (OpenAI, Ollama's /v1, vLLM, scripts/embeddings_server.py). Failures are
 * ModelErrors with the codes of the chat provider, so RateLimiter retries them
 * the same way.
 */
export class OpenAICompatibleEmbedder {
  readonly model: string;
  readonly #endpoint: string;
  /** The endpoint as named in errors: no user info, no query. */
  readonly #where: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #batchSize: number;
  readonly #fetch: typeof fetch;
  readonly #clock: () => number;

  constructor(options: OpenAICompatibleEmbedderOptions) {
    const batchSize = options.batchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ModelError(
        'MODEL_CONFIG_INVALID',
        'the embedding batch size must be a positive integer',
        {
          details: { batchSize },
        },
      );
    }
    this.#endpoint = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.#where = `embeddings endpoint ${displayUrl(this.#endpoint, 'MODEL_BASE_URL')}`;
    this.#apiKey = options.apiKey || undefined;
    this.model = options.model;
    this.#timeoutMs = options.timeoutMs;
    this.#batchSize = batchSize;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * One vector per text, in the order of `texts`. Batches go one after another,
   * so a large call does not open many requests against a rate-limited provider.
   */
  async embed(
    texts: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      const batch = texts.slice(start, start + this.#batchSize);
      const embedded = await this.#request(batch, options.signal);
      const dimensions = vectors[0]?.length ?? embedded[0]?.length;
      if (embedded.some((vector) => vector.length !== dimensions)) {
        throw this.#badResponse(200, 'sent vectors of different lengths');
      }
      vectors.push(...embedded);
    }
    return vectors;
  }

  async #request(
    batch: readonly string[],
    callerSignal: AbortSignal | undefined,
  ): Promise<number[][]> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;

    let status: number;
    let responseHeaders: Headers;
    let body: string;
    try {
      const response = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.model, input: batch }),
        signal,
      });
      status = response.status;
      responseHeaders = response.headers;
      body = await response.text();
    } catch (error) {
      throw modelErrorForFetchFailure(error, {
        what: this.#where,
        callerSignal,
        timeout,
        timeoutMs: this.#timeoutMs,
        secrets: [this.#apiKey],
      });
    }
    if (status < 200 || status > 299) {
      throw modelErrorForResponse(
        { status, headers: responseHeaders, body },
        { now: this.#clock(), what: this.#where, secrets: [this.#apiKey] },
      );
    }
    return this.#parse(body, status, batch.length);
  }

  /** The vectors of `data`, put in input order by each item's `index`. */
  #parse(body: string, status: number, count: number): number[][] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new ModelError('MODEL_BAD_RESPONSE', `${this.#where} sent a body that is not JSON`, {
        cause: error,
        details: { status, bodyStart: scrub(body.slice(0, 200), [this.#apiKey]) },
      });
    }
    const data = isRecord(parsed) ? parsed.data : undefined;
    if (!Array.isArray(data)) throw this.#badResponse(status, 'sent no data array');
    if (data.length !== count) {
      throw this.#badResponse(status, `sent ${data.length} embeddings for ${count} inputs`);
    }
    const vectors: number[][] = new Array<number[]>(count);
    for (const item of data) {
      const index = isRecord(item) ? item.index : undefined;
      const embedding = isRecord(item) ? item.embedding : undefined;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
        throw this.#badResponse(status, 'sent an embedding without a valid index');
      }
      if (vectors[index]) throw this.#badResponse(status, `sent index ${index} twice`);
      if (
        !Array.isArray(embedding) ||
        embedding.length === 0 ||
        !embedding.every((x): x is number => typeof x === 'number' && Number.isFinite(x))
      ) {
        throw this.#badResponse(
          status,
          `sent an embedding at index ${index} that is not a list of numbers`,
        );
      }
      vectors[index] = embedding;
    }
    return vectors;
  }

  #badResponse(status: number, what: string): ModelError {
    return new ModelError('MODEL_BAD_RESPONSE', `${this.#where} ${what}`, { details: { status } });
  }
}
