export type LagErrorCode = 'LAG_CONFIG_INVALID' | 'LAG_REFRESH_FAILED' | 'LAG_READ_FAILED';

/** The one error type of @paxfleet/lag: a closed set of codes, the cause kept. */
export class LagError extends Error {
  override readonly name = 'LagError';
  readonly code: LagErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: LagErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${message}`, { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}
