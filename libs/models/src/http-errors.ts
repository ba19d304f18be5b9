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

/** How long the server asks to wait: retry-after-ms (OpenAI, milliseconds), else Retry-After. */
export function retryAfterFromHeaders(headers: Headers, now: number): number | undefined {
  const milliseconds = headers.get('retry-after-ms')?.trim();
  if (milliseconds && /^\d+(?:\.\d+)?$/.test(milliseconds)) return Math.round(Number(milliseconds));
  return parseRetryAfter(headers.get('retry-after'), now);
}

/**
 * The ModelError for a fetch that threw before any response: the caller
 * aborted, the timeout fired, or the network failed (with the useful part of
 * fetch's "fetch failed", e.g. ECONNREFUSED). `secrets` are scrubbed.
 */
export function modelErrorForFetchFailure(
  error: unknown,
  call: {
    readonly what: string;
    readonly callerSignal: AbortSignal | undefined;
    readonly timeout: AbortSignal;
    readonly timeoutMs: number;
    readonly secrets?: readonly (string | undefined)[];
  },
): ModelError {
  if (call.callerSignal?.aborted) {
    return new ModelError('MODEL_ABORTED', `the caller aborted the call to ${call.what}`, {
      cause: call.callerSignal.reason,
    });
  }
  if (call.timeout.aborted) {
    return new ModelError(
      'MODEL_TIMEOUT',
      `${call.what} did not answer within ${call.timeoutMs} ms`,
      {
        cause: error,
        details: { timeoutMs: call.timeoutMs },
      },
    );
  }
  const reason = error instanceof Error ? describeNetworkError(error) : String(error);
  return new ModelError(
    'MODEL_UNAVAILABLE',
    `${call.what} is unreachable: ${scrub(reason, call.secrets ?? [])}`,
    {
      cause: error,
    },
  );
}

/** fetch says only "fetch failed"; the useful part (ECONNREFUSED...) is in the cause. */
function describeNetworkError(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
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
    const retryAfterMs = retryAfterFromHeaders(failure.headers, options.now);
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

/**
 * An endpoint as logs and errors may show it: no user info, no query (where
 * keys hide). A value that is not a URL is a configuration error naming the
 * setting it came from.
 */
export function displayUrl(url: string, setting: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ModelError('MODEL_CONFIG_INVALID', `${setting} is not a valid URL`, {
      cause: error,
      details: { setting },
    });
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  return parsed.href;
}
