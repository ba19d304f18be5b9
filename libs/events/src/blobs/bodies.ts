import { EventsError } from '../errors.ts';
import type { BlobStore } from './blob-store.ts';

/** Bodies under this many bytes ride inside their event by default. */
export const DEFAULT_INLINE_MAX_BYTES = 65_536;

/** A body as an event carries it: the text itself, or a reference to a blob. */
export interface StoredBody {
  /** The body, when it rides inline; null when it is in the blob store. */
  readonly body: string | null;
  /** The blob reference, when it is in the blob store; empty when inline. */
  readonly ref: string;
  readonly bytes: number;
}

export interface BodiesOptions {
  /** Where bodies over the threshold go; without one, such a body is refused. */
  readonly store?: BlobStore;
  /** Largest body, in UTF-8 bytes, carried inline (0: every body by reference). */
  readonly inlineMaxBytes: number;
  /** The setting that chooses the store, named in the error when there is none. */
  readonly storeSetting?: string;
}

/**
 * Keeps events small: a body under the threshold travels in its event, a larger one
 * goes to the blob store and the event carries its reference. Readers take either.
 */
export class Bodies {
  readonly #store: BlobStore | undefined;
  readonly #inlineMaxBytes: number;
  readonly #storeSetting: string;

  constructor(options: BodiesOptions) {
    this.#store = options.store;
    this.#inlineMaxBytes = options.inlineMaxBytes;
    this.#storeSetting = options.storeSetting ?? 'BLOB_STORE';
  }

  get inlineMaxBytes(): number {
    return this.#inlineMaxBytes;
  }

  /** Inline when small enough; otherwise written under key (derived from the work, so a retry rewrites the same blob). */
  async put(key: string, text: string): Promise<StoredBody> {
    const bytes = Buffer.byteLength(text);
    if (bytes <= this.#inlineMaxBytes) return { body: text, ref: '', bytes };
    if (!this.#store) {
      throw new EventsError(
        'BLOB_STORE_REQUIRED',
        `a body of ${bytes} bytes is over the inline threshold of ${this.#inlineMaxBytes} bytes and no blob store is configured: set ${this.#storeSetting} (s3 or file)`,
        { details: { key, bytes, inlineMaxBytes: this.#inlineMaxBytes } },
      );
    }
    return { body: null, ref: await this.#store.put(key, text), bytes };
  }

  /** The body of an event, inline or from the blob store. */
  async get(stored: { readonly body?: string | null; readonly ref: string }): Promise<string> {
    if (stored.body !== null && stored.body !== undefined) return stored.body;
    if (!stored.ref) {
      throw new EventsError('BLOB_REF_INVALID', 'the event carries neither a body nor a reference');
    }
    if (!this.#store) {
      throw new EventsError(
        'BLOB_STORE_REQUIRED',
        `the body is stored by reference (${stored.ref}) and no blob store is configured: set ${this.#storeSetting} (s3 or file)`,
        { details: { ref: stored.ref } },
      );
    }
    return (await this.#store.get(stored.ref)).toString('utf8');
  }
}
