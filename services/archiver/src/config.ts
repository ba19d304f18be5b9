import { Type } from '@sinclair/typebox';
import { blobConfig } from '@paxfleet/agent-kit';
import { archiveDirConfig } from '@paxfleet/archive';
import { composeConfig, configFragment, type ConfigOf } from '@paxfleet/core';

/** The archiver's own variables, beside the blob store's (BLOB_STORE, BLOB_S3_*). */
export const archiverConfig = configFragment('Archiver', {
  ARCHIVE_MAX_RECORDS: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 10_000,
    description: 'Most records in one archive object.',
  }),
  ARCHIVE_FLUSH_MS: Type.Integer({
    minimum: 10,
    default: 60_000,
    description:
      'Longest a record waits before its archive object is written: how far the archive may lag the broker.',
  }),
});

/** Everything the archiver reads besides every service's variables: where the archive goes, and how. */
export const archiverServiceConfig = composeConfig(
  'archiver',
  blobConfig,
  archiveDirConfig,
  archiverConfig,
);

export type ArchiverConfig = ConfigOf<typeof archiverServiceConfig>;
