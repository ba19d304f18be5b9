import { CodedError } from '@paxfleet/core';

export type ModelErrorCode =
  | 'MODEL_TIMEOUT'
  | 'MODEL_ABORTED'
  | 'MODEL_RATE_LIMITED'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_BAD_REQUEST'
  | 'MODEL_BAD_RESPONSE'
  | 'MODEL_CONFIG_INVALID';

/** The codes worth another attempt: the call may succeed later, unchanged. */
export const RETRYABLE_MODEL_ERROR_CODES: readonly ModelErrorCode[] = [
  'MODEL_RATE_LIMITED',
  'MODEL_UNAVAILABLE',
  'MODEL_TIMEOUT',
];

/** The one error type of @paxfleet/models: a closed set of codes, the cause kept. */
export class ModelError extends CodedError<ModelErrorCode> {
  override readonly name = 'ModelError';

  /** The HTTP status that caused the error, when there was one. */
  get status(): number | undefined {
    const status = this.details.status;
    return typeof status === 'number' ? status : undefined;
  }

  /** How long the server asked us to wait (Retry-After), when it said. */
  get retryAfterMs(): number | undefined {
    const wait = this.details.retryAfterMs;
    return typeof wait === 'number' ? wait : undefined;
  }
}

export function isRetryableModelError(error: unknown): error is ModelError {
  return error instanceof ModelError && RETRYABLE_MODEL_ERROR_CODES.includes(error.code);
}
