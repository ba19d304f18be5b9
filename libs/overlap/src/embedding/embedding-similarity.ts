import { OverlapError } from '../errors.ts';
import type { Similarity } from '../similarity.ts';

/**
 * What EmbeddingSimilarity needs of a model: one vector per text, in the order of
 * the texts. @paxfleet/models' OpenAICompatibleEmbedder is one; declared here so
 * this package does not depend on an HTTP client.
 */
export interface Embedder {
  embed(texts: readonly string[]): Promise<number[][]>;
}

const DEFAULT_CACHE_SIZE = 10_000;

export interface EmbeddingSimilarityOptions {
  readonly embedder: Embedder;
  /**
   * How many subjects' vectors are kept, the least recently used dropped first.
   * A prepare of more subjects than this cannot keep them all.
   */
  readonly cacheSize?: number;
}

/** A topic slug in words, as the model was trained on: agent-observability-platforms → agent observability platforms. */
export function subjectText(subject: string): string {
  return subject.replace(/[-_\s]+/g, ' ').trim();
}

/**
 * How alike two topics are by the cosine of their embeddings. Vectors come from
 * the embedder once per subject and are kept (bounded, least recently used out),
 * so `score` answers synchronously and the same every time; it is rounded to 4
 * decimals so a replay that fetched the vectors again compares equal despite the
 * last bits of floating point.
 */
export class EmbeddingSimilarity implements Similarity<Float64Array> {
  readonly method = 'embedding';
  readonly #embedder: Embedder;
  readonly #cacheSize: number;
  /** Unit vectors by subject; Map order is recency, oldest first. */
  readonly #vectors = new Map<string, Float64Array>();
  /** The request under way for a subject, which a concurrent prepare waits on instead of asking again. */
  readonly #pending = new Map<string, Promise<void>>();

  constructor(options: EmbeddingSimilarityOptions) {
    this.#embedder = options.embedder;
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  }

  /** Asks the embedder, in one call, for the subjects neither cached nor already asked for. */
  async prepare(subjects: readonly string[]): Promise<void> {
    const waiting: Promise<void>[] = [];
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      if (this.#use(subject)) continue;
      const pending = this.#pending.get(subject);
      if (pending) waiting.push(pending);
      else missing.push(subject);
    }
    if (missing.length > 0) {
      const request: Promise<void> = this.#fetch(missing).finally(() => {
        for (const subject of missing) {
          if (this.#pending.get(subject) === request) this.#pending.delete(subject);
        }
      });
      for (const subject of missing) this.#pending.set(subject, request);
      waiting.push(request);
    }
    await Promise.all(waiting);
  }

  prepared(subject: string): boolean {
    return this.#vectors.has(subject);
  }

  /** Undefined: nearness in an embedding space has no terms to look a subject up by. */
  terms(_subject: string): undefined {
    return undefined;
  }

  fingerprint(subject: string): Float64Array {
    return this.#vector(subject);
  }

  score(a: string, b: string): number {
    return this.compare(this.#vector(a), this.#vector(b));
  }

  compare(first: Float64Array, second: Float64Array): number {
    let dot = 0;
    for (let i = 0; i < first.length; i++) dot += (first[i] ?? 0) * (second[i] ?? 0);
    return Math.round(Math.min(1, Math.max(0, dot)) * 10_000) / 10_000;
  }

  async #fetch(subjects: readonly string[]): Promise<void> {
    const vectors = await this.#embedder.embed(subjects.map(subjectText));
    subjects.forEach((subject, i) => {
      const vector = vectors[i];
      if (vector) this.#remember(subject, unit(vector));
    });
  }

  #vector(subject: string): Float64Array {
    const vector = this.#use(subject);
    if (!vector) {
      throw new OverlapError(
        'OVERLAP_NOT_PREPARED',
        `no embedding for "${subject}": prepare it before scoring`,
        { details: { subject, method: this.method } },
      );
    }
    return vector;
  }

  /** The cached vector, marked as just used; undefined when it is not cached. */
  #use(subject: string): Float64Array | undefined {
    const vector = this.#vectors.get(subject);
    if (vector) {
      this.#vectors.delete(subject);
      this.#vectors.set(subject, vector);
    }
    return vector;
  }

  #remember(subject: string, vector: Float64Array): void {
    this.#vectors.delete(subject);
    while (this.#vectors.size >= this.#cacheSize) {
      const oldest = this.#vectors.keys().next();
      if (oldest.done === true) break;
      this.#vectors.delete(oldest.value);
    }
    this.#vectors.set(subject, vector);
  }
}

/** The vector scaled to length 1 (a zero vector stays zero): the cosine is then a dot product. */
function unit(vector: readonly number[]): Float64Array {
  let squares = 0;
  for (const x of vector) squares += x * x;
  const length = Math.sqrt(squares);
  return Float64Array.from(vector, (x) => (length > 0 ? x / length : 0));
}
