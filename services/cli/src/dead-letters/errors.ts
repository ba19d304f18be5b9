import { CodedError } from '@paxfleet/core';

export type DeadLetterErrorCode =
  | 'DEAD_LETTER_ID_INVALID'
  | 'DEAD_LETTER_NOT_FOUND'
  | 'DEAD_LETTER_UNDECODABLE'
  | 'DEAD_LETTER_REDRIVE_FAILED';

/** The one error type of the dead-letter tools: a closed set of codes, the cause kept. */
export class DeadLetterError extends CodedError<DeadLetterErrorCode> {
  override readonly name = 'DeadLetterError';
}
