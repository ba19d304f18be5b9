import { CodedError } from '@paxfleet/core';

export type ArchiveErrorCode = 'ARCHIVE_OBJECT_INVALID' | 'ARCHIVE_RECORDS_INVALID';

/** The one error type of @paxfleet/archive. */
export class ArchiveError extends CodedError<ArchiveErrorCode> {
  override readonly name = 'ArchiveError';
}
