import { Readable } from 'node:stream';
import { EventsError } from '../errors.ts';
import { checkBlobKey, type BlobStore, type StoredBlob } from './blob-store.ts';

/** Blobs in this process's memory, for unit tests of agents: references are memory:// URLs. */
export class MemoryBlobStore implements BlobStore {
  readonly location = 'memory';
  readonly #blobs = new Map<string, { body: Buffer; writtenAt: number }>();

  /** Starts with the given bodies under the given references. */
  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [ref, body] of Object.entries(initial))
      this.#blobs.set(ref, { body: Buffer.from(body), writtenAt: 0 });
  }

  refOf(key: string): string {
    return `memory://${checkBlobKey(key)}`;
  }

  put(key: string, body: Buffer | string): Promise<string> {
    const ref = this.refOf(key);
    this.#blobs.set(ref, { body: Buffer.from(body), writtenAt: Date.now() });
    return Promise.resolve(ref);
  }

  get(ref: string): Promise<Buffer> {
    const blob = this.#blobs.get(ref);
    return blob
      ? Promise.resolve(blob.body)
      : Promise.reject(
          new EventsError('BLOB_NOT_FOUND', `no blob at ${ref}`, { details: { ref } }),
        );
  }

  list(prefix: string): AsyncIterable<StoredBlob> {
    const found: StoredBlob[] = [];
    for (const [ref, blob] of this.#blobs) {
      const key = ref.replace(/^memory:\/\//, '');
      if (key.startsWith(prefix))
        found.push({ key, writtenAt: blob.writtenAt, bytes: blob.body.length });
    }
    return Readable.from(found);
  }

  delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.#blobs.delete(`memory://${key}`);
    return Promise.resolve();
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}
