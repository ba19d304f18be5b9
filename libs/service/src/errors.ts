export type ServiceErrorCode =
  | 'SERVICE_CONFIG_INVALID'
  | 'SERVICE_READINESS_CHECK_DUPLICATE'
  | 'SERVICE_LISTEN_FAILED'
  | 'SERVICE_SHUTDOWN_FAILED'
  | 'SERVICE_STOPPING'
  | 'SERVICE_SHUTDOWN_TIMEOUT';

/** The one error type of @paxfleet/service: a closed set of codes, the cause kept. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: ServiceErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${message}`, { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}
