export { ArchiveError, type ArchiveErrorCode } from './errors.ts';
export {
  ARCHIVED_RECORD_SCHEMA,
  decodeArchiveObject,
  encodeArchiveObject,
  type ArchivedRecord,
  type ArchiveObjectRange,
} from './archive-object.ts';
export {
  ARCHIVE_PREFIX,
  archiveObjectKey,
  parseArchiveObjectKey,
  partitionPrefix,
} from './archive-keys.ts';
