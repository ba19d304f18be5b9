/** What went wrong, as a closed list: the message names the input that is wrong. */
export type ToolErrorCode =
  | 'USAGE'
  | 'YAML_INVALID'
  | 'JSON_INVALID'
  | 'CATALOG_INVALID'
  | 'OPENAPI_INVALID'
  | 'CRD_INVALID'
  | 'BUNDLE_INVALID';

/** The one error type of @paxfleet/tools: a code from the list above and a message that starts with it. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly code: ToolErrorCode;

  constructor(code: ToolErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(`${code}: ${message}`, { cause: options.cause });
    this.code = code;
  }
}
