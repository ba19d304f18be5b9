import { CodedError } from '@paxfleet/core';

export type ClaimsErrorCode = 'CLAIMS_TIMEOUT' | 'CLAIMS_NOT_STARTED' | 'CLAIMS_REJECTED';

/** The one error type of @paxfleet/claims: a closed set of codes, the cause kept. */
export class ClaimsError extends CodedError<ClaimsErrorCode> {
  override readonly name = 'ClaimsError';
}
