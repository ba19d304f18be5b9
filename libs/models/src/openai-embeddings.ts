import { ModelError } from './errors.ts';
import { displayUrl, isRecord } from './http-errors.ts';
import { postJson, type OpenAIEndpoint } from './openai-http.ts';

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
  readonly #endpoint: OpenAIEndpoint;
  readonly #batchSize: number;

  constructor(options: OpenAICompatibleEmbedderOptions) {
    const batchSize = options.batchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ModelError(
        'MODEL_CONFIG_INVALID',
        'the embedding batch size must be a positive integer',
        { details: { batchSize } },
      );
    }
    const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.#endpoint = {
      url,
      what: `embeddings endpoint ${displayUrl(url, 'MODEL_BASE_URL')}`,
      apiKey: options.apiKey || undefined,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch ?? globalThis.fetch,
      clock: options.clock ?? Date.now,
    };
    this.model = options.model;
    this.#batchSize = batchSize;
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
      const { status, json } = await postJson(
        this.#endpoint,
        { model: this.model, input: batch },
        options.signal,
      );
      const embedded = this.#parse(json, status, batch.length);
      const dimensions = vectors[0]?.length ?? embedded[0]?.length;
      if (embedded.some((vector) => vector.length !== dimensions)) {
        throw this.#badResponse(200, 'sent vectors of different lengths');
      }
      vectors.push(...embedded);
    }
    return vectors;
  }

  /** The vectors of `data`, put in input order by each item's `index`. */
  #parse(parsed: unknown, status: number, count: number): number[][] {
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
    return new ModelError('MODEL_BAD_RESPONSE', `${this.#endpoint.what} ${what}`, {
      details: { status },
    });
  }
}
