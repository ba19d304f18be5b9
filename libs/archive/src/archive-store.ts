import { Type } from '@sinclair/typebox';
import { configFragment } from '@paxfleet/core';
import { FileBlobStore, type BlobStore } from '@paxfleet/events';

/** Where the archive is on one machine, when no object store is configured. */
export const archiveDirConfig = configFragment('Archive directory', {
  ARCHIVE_DIR: Type.String({
    minLength: 1,
    default: 'archive',
    description:
      'With BLOB_STORE=none: the directory of the cold archive (one machine only; a cluster archives to s3).',
  }),
});

/** The configured object store, or the archive directory when there is none. */
export function archiveStore(configured: BlobStore | undefined, dir: string): BlobStore {
  return configured ?? new FileBlobStore(dir);
}
