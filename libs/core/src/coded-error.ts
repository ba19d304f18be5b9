export interface CodedErrorOptions {
  /** The error this one explains (kept as `cause`). */
  readonly cause?: unknown;
  /** Machine-readable facts for logs and HTTP bodies: the variable, the topic, the status. */
  readonly details?: Record<string, unknown>;
}

/**
 * The base of every paxfleet error: a code from the library's closed list, a message
 * that starts with it, the cause kept and details for logs. Each library declares its
 * codes and one subclass, e.g.
 *   export class KafkaError extends CodedError<KafkaErrorCode> { override readonly name = 'KafkaError'; }
 * so `instanceof CodedError` finds any of them and `code` narrows per library.
 */
export class CodedError<Code extends string = string> extends Error {
  override readonly name: string = 'CodedError';
  readonly code: Code;
  readonly details: Record<string, unknown>;

  constructor(code: Code, message: string, options: CodedErrorOptions = {}) {
    super(`${code}: ${message}`, { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}
