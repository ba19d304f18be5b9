export { ArchiveError, type ArchiveErrorCode } from './errors.ts';
export {
  ARCHIVED_RECORD_SCHEMA,
  decodeArchiveObject,
  encodeArchiveObject,
  type ArchivedRecord,
  type ArchiveObjectRange,
} from './archive-object.ts';
export { archiveObjectKey, parseArchiveObjectKey, partitionPrefix } from './archive-keys.ts';
export { lookUpWorkflow, type ArchiveLookup } from './archive-lookup.ts';
export { WORKFLOW_HEADER, workflowIndexEntries, workflowPrefix } from './workflow-index.ts';
export { archiveDirConfig, archiveStore } from './archive-store.ts';
