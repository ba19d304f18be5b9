import type { Embedder } from '../embedding/embedding-similarity.ts';

export interface HttpEmbedderOptions {
  /** Up to the version segment: http://127.0.0.1:19433/v1. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly timeoutMs: number;
}

/** Inputs per request, as @paxfleet/models sends them. */
const BATCH_SIZE = 64;

/**
 * A bare OpenAI-compatible `POST <base>/embeddings` for the benchmark. @paxfleet/models'
 * OpenAICompatibleEmbedder is the client the coordinator uses (with retries and coded
 * errors); this package does not depend on it, so the benchmark, like the embedding
 * integration spec, posts by itself and stops at the first failure.
 */
export class HttpEmbedder implements Embedder {
  readonly #options: HttpEmbedderOptions;

  constructor(options: HttpEmbedderOptions) {
    this.#options = options;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += BATCH_SIZE) {
      vectors.push(...(await this.#request(texts.slice(start, start + BATCH_SIZE))));
    }
    return vectors;
  }

  async #request(input: readonly string[]): Promise<number[][]> {
    const { baseUrl, model, apiKey, timeoutMs } = this.#options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey !== undefined && apiKey !== '') headers['authorization'] = `Bearer ${apiKey}`;
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/embeddings`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model, input }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the embeddings endpoint answered HTTP ${response.status}`);
    const { data } = (await response.json()) as { data: { index: number; embedding: number[] }[] };
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new Error(
        `the embeddings endpoint sent ${Array.isArray(data) ? data.length : 'no'} vectors for ${input.length} texts`,
      );
    }
    return [...data].sort((x, y) => x.index - y.index).map((item) => item.embedding);
  }
}
