import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { EventsError } from '../errors.ts';
import { checkBlobKey, type BlobStore, type StoredBlob } from './blob-store.ts';

/**
 * A blob store on a filesystem; references are file:// URLs. Only processes that
 * share the directory can read each other's blobs: in a cluster that takes a
 * shared volume, so the fleet's default is S3 (or bodies inline).
 */
export class FileBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return this.root;
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
    } catch (cause) {
      throw new EventsError('BLOB_STORE_FAILED', `blob directory ${this.root} cannot be made`, {
        cause,
      });
    }
  }

  close(): void {}

  refOf(key: string): string {
    return pathToFileURL(join(this.root, checkBlobKey(key))).href;
  }

  async put(key: string, body: Buffer | string): Promise<string> {
    const path = join(this.root, checkBlobKey(key));
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
    await writeFile(partial, body);
    await rename(partial, path);
    return this.refOf(key);
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

  async *list(prefix: string): AsyncIterable<StoredBlob> {
    let names: string[];
    try {
      names = await readdir(this.root, { recursive: true });
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const key = relative(this.root, join(this.root, name)).split(sep).join('/');
      if (!key.startsWith(prefix) || key.endsWith('.partial')) continue;
      const info = await stat(join(this.root, name)).catch(() => undefined);
      if (info?.isFile()) yield { key, writtenAt: info.mtimeMs, bytes: info.size };
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) await rm(join(this.root, checkBlobKey(key)), { force: true });
  }
}
