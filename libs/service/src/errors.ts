import { CodedError } from '@paxfleet/core';

export type ServiceErrorCode =
  | 'SERVICE_READINESS_CHECK_DUPLICATE'
  | 'SERVICE_LISTEN_FAILED'
  | 'SERVICE_SHUTDOWN_FAILED'
  | 'SERVICE_STOPPING'
  | 'SERVICE_SHUTDOWN_TIMEOUT';

/** The one error type of @paxfleet/service: a closed set of codes, the cause kept. */
export class ServiceError extends CodedError<ServiceErrorCode> {
  override readonly name = 'ServiceError';
}

/**
 * A 4xx answer a route gives on purpose: thrown, and rendered by the shared error handler
 * as every other error body ({ error, code, message }), so no route builds one by hand.
 */
export class HttpError extends CodedError {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  /** What is wrong, for the body's message (the error's own message starts with the code). */
  readonly reason: string;
  /** Headers the answer carries (WWW-Authenticate of a 401). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    statusCode: number,
    code: string,
    reason: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, reason);
    this.statusCode = statusCode;
    this.reason = reason;
    this.headers = headers;
  }
}
