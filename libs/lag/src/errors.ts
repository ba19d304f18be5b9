import { CodedError } from '@paxfleet/core';

export type LagErrorCode = 'LAG_CONFIG_INVALID' | 'LAG_REFRESH_FAILED' | 'LAG_READ_FAILED';

/** The one error type of @paxfleet/lag: a closed set of codes, the cause kept. */
export class LagError extends CodedError<LagErrorCode> {
  override readonly name = 'LagError';
}
