import { ModelError } from './errors.ts';

const MAX_MESSAGE_CHARS = 300;

/**
 * Milliseconds to wait from a Retry-After value: delay-seconds or an HTTP-date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** OpenAI's retry-after-ms header: a plain number of milliseconds. */
function retryAfterMilliseconds(value: string | null): number | undefined {
  const text = value?.trim();
  return text && /^\d+(?:\.\d+)?$/.test(text) ? Math.round(Number(text)) : undefined;
}

export interface HttpFailure {
  readonly status: number;
  readonly headers: Headers;
  /** The response body as text, for the server's own explanation. */
  readonly body: string;
}

/**
 * The ModelError for a non-2xx response from any external HTTP API (model or otherwise), so
 * RateLimiter retries it the same way: 429 rate limited, 408 timeout, 5xx unavailable,
 * other statuses a bad request. `secrets` are scrubbed from the server's message.
 */
export function modelErrorForResponse(
  failure: HttpFailure,
  options: { now: number; what?: string; secrets?: readonly (string | undefined)[] },
): ModelError {
  const what = options.what ?? 'the model endpoint';
  const reason = scrub(serverMessage(failure.body), options.secrets ?? []);
  const details: Record<string, unknown> = { status: failure.status };
  const suffix = reason ? `: ${reason}` : '';
  if (failure.status === 429) {
    const retryAfterMs =
      retryAfterMilliseconds(failure.headers.get('retry-after-ms')) ??
      parseRetryAfter(failure.headers.get('retry-after'), options.now);
    if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
    const wait = retryAfterMs === undefined ? '' : ` (retry after ${retryAfterMs} ms)`;
    return new ModelError('MODEL_RATE_LIMITED', `${what} is rate limiting us${wait}${suffix}`, {
      details,
    });
  }
  if (failure.status === 408) {
    return new ModelError('MODEL_TIMEOUT', `${what} timed out the request (408)${suffix}`, {
      details,
    });
  }
  if (failure.status >= 500) {
    return new ModelError('MODEL_UNAVAILABLE', `${what} answered ${failure.status}${suffix}`, {
      details,
    });
  }
  return new ModelError(
    'MODEL_BAD_REQUEST',
    `${what} rejected the request (${failure.status})${suffix}`,
    {
      details,
    },
  );
}

/** The error text of an OpenAI-style ({error:{message}}), Ollama-style ({error}) or plain body. */
function serverMessage(body: string): string {
  let message: unknown = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) {
      const error = parsed.error;
      message = isRecord(error) ? error.message : (error ?? parsed.message ?? body);
    }
  } catch {
    // Not JSON: the body itself is the explanation.
  }
  const text = typeof message === 'string' ? message.replace(/\s+/g, ' ').trim() : '';
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.replaceAll(secret, '[redacted]');
  return clean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
