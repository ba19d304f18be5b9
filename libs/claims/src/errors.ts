export type ClaimsErrorCode = 'CLAIMS_TIMEOUT' | 'CLAIMS_NOT_STARTED' | 'CLAIMS_REJECTED';

/** The one error type of @paxfleet/claims: a closed set of codes, the cause kept. */
export class ClaimsError extends Error {
  override readonly name = 'ClaimsError';
  readonly code: ClaimsErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: ClaimsErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${message}`, { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}
