import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { EventsError } from './errors.ts';

/** Where large bodies live; records carry only the reference (claim-check). */
export interface BlobStore {
  /** Stores the body under a key such as research/agent-observability.md and returns its reference. */
  put(key: string, body: Buffer | string): Promise<string>;
  get(ref: string): Promise<Buffer>;
}

const blobKey = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

/** A blob store on a local or mounted filesystem; references are file:// URLs. */
export class FileBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: Buffer | string): Promise<string> {
    if (!blobKey.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
      throw new EventsError(
        'BLOB_REF_INVALID',
        `blob key "${key}" must be relative path segments of letters, digits, . _ -`,
      );
    }
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
    await writeFile(partial, body);
    await rename(partial, path);
    return pathToFileURL(path).href;
  }

  async get(ref: string): Promise<Buffer> {
    let path: string;
    try {
      path = fileURLToPath(ref);
    } catch (cause) {
      throw new EventsError('BLOB_REF_INVALID', `"${ref}" is not a file:// blob reference`, {
        cause,
      });
    }
    if (!resolve(path).startsWith(this.root + sep)) {
      throw new EventsError(
        'BLOB_REF_INVALID',
        `"${ref}" is outside the blob store at ${this.root}`,
      );
    }
    try {
      return await readFile(path);
    } catch (cause) {
      throw new EventsError('BLOB_NOT_FOUND', `no blob at ${ref}`, { cause, details: { ref } });
    }
  }
}
