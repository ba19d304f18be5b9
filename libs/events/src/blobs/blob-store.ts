import { EventsError } from '../errors.ts';

/** Where large bodies live; records carry only the reference (claim-check). */
export interface BlobStore {
  /** Where the store is, for logs and errors: a directory or s3://bucket/prefix. */
  readonly location: string;
  /**
   * Stores the body under a key such as research/agent-observability/workflow_7k2p.md and
   * returns its reference. Writing the same key again (a retry) replaces it harmlessly.
   */
  put(key: string, body: Buffer | string): Promise<string>;
  /** The reference of the blob under a key (what put returns for it), e.g. for a key from list. */
  refOf(key: string): string;
  get(ref: string): Promise<Buffer>;
  /** Every blob under a key prefix, with when it was written. */
  list(prefix: string): AsyncIterable<StoredBlob>;
  /** Removes blobs by key; a key already gone is not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** Fails, naming the store, unless it can be used (run at boot). */
  check(): Promise<void>;
  close(): void;
}

export interface StoredBlob {
  readonly key: string;
  /** Epoch milliseconds of the last write. */
  readonly writtenAt: number;
  readonly bytes: number;
}

const blobKey = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

/** Keys are relative path segments of letters, digits, . _ - (the same rule for every store). */
export function checkBlobKey(key: string): string {
  if (!blobKey.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new EventsError(
      'BLOB_REF_INVALID',
      `blob key "${key}" must be relative path segments of letters, digits, . _ -`,
    );
  }
  return key;
}
