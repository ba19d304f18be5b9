import { CodedError } from '@paxfleet/core';

export type OverlapErrorCode = 'OVERLAP_NOT_PREPARED' | 'OVERLAP_PAIRS_INVALID';

/** The one error type of @paxfleet/overlap. */
export class OverlapError extends CodedError<OverlapErrorCode> {
  override readonly name = 'OverlapError';
}
