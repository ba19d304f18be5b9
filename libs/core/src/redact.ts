/** Keys whose values never reach a log line or an error message. */
export const SECRET_KEY = /password|secret|token|api[_-]?key|authorization/i;
export const REDACTED = '[redacted]';

const MAX_DEPTH = 12;

/**
 * A secret is text or structure. Numbers and booleans under a matching key are kept:
 * an AI fleet logs `prompt_tokens` and `max_tokens`, which are counts, not credentials.
 */
function holdsSecret(value: unknown): boolean {
  return (
    value !== undefined && value !== null && typeof value !== 'number' && typeof value !== 'boolean'
  );
}

/**
 * A JSON-safe deep copy of log fields: secret-looking keys redacted at any depth, errors
 * turned into plain objects (message, stack, code, details, cause), cycles and bigints
 * made printable.
 */
export function redactFields(value: unknown): unknown {
  return copy(value, new WeakSet(), 0);
}

function copy(value: unknown, ancestors: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  ancestors.add(value);
  try {
    if (value instanceof Error) return errorFields(value, ancestors, depth);
    if (Array.isArray(value)) return value.map((item) => copy(item, ancestors, depth + 1));
    if (value instanceof Map) return copyEntries([...value.entries()], ancestors, depth);
    if (value instanceof Set) return [...value].map((item) => copy(item, ancestors, depth + 1));
    const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy(toJSON.call(value), ancestors, depth + 1);
    return copyEntries(Object.entries(value), ancestors, depth);
  } finally {
    ancestors.delete(value);
  }
}

function copyEntries(
  entries: readonly (readonly [unknown, unknown])[],
  ancestors: WeakSet<object>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, item] of entries) {
    const key = String(rawKey);
    out[key] =
      SECRET_KEY.test(key) && holdsSecret(item) ? REDACTED : copy(item, ancestors, depth + 1);
  }
  return out;
}

function errorFields(
  error: Error,
  ancestors: WeakSet<object>,
  depth: number,
): Record<string, unknown> {
  // message and stack are not enumerable; code, details and friends usually are.
  const own = copyEntries(
    Object.entries(error).filter(([key]) => key !== 'name'),
    ancestors,
    depth,
  );
  const fields: Record<string, unknown> = {
    type: error.name,
    message: error.message,
    ...own,
    stack: error.stack,
  };
  if (error.cause !== undefined) fields.cause = copy(error.cause, ancestors, depth + 1);
  if (error instanceof AggregateError) fields.errors = copy(error.errors, ancestors, depth + 1);
  return fields;
}
