import { ModelError } from './errors.ts';
import { modelErrorForFetchFailure, modelErrorForResponse, scrub } from './http-errors.ts';

/** Where and how to POST to one endpoint of an OpenAI-compatible API. */
export interface OpenAIEndpoint {
  readonly url: string;
  /** The endpoint as errors name it (no user info, no query), e.g. `model endpoint https://...`. */
  readonly what: string;
  /** Sent as a Bearer token when set; never in an error. */
  readonly apiKey: string | undefined;
  /** Whole-call budget: connecting, waiting and reading the body. */
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
  /** For Retry-After given as an HTTP-date. */
  readonly clock: () => number;
}

/**
 * One POST of a JSON body, the answer parsed as JSON. A failed connection, a timeout,
 * the caller's abort, a non-2xx status and a body that is not JSON are ModelErrors with
 * the codes RateLimiter retries by; the caller checks the shape of what it gets.
 */
export async function postJson(
  endpoint: OpenAIEndpoint,
  payload: unknown,
  callerSignal?: AbortSignal,
): Promise<{ readonly status: number; readonly json: unknown }> {
  const { url, what, apiKey, timeoutMs } = endpoint;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  let status: number;
  let responseHeaders: Headers;
  let body: string;
  try {
    const response = await endpoint.fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      signal,
    });
    status = response.status;
    responseHeaders = response.headers;
    body = await response.text();
  } catch (error) {
    throw modelErrorForFetchFailure(error, {
      what,
      callerSignal,
      timeout,
      timeoutMs,
      secrets: [apiKey],
    });
  }
  if (status < 200 || status > 299) {
    throw modelErrorForResponse(
      { status, headers: responseHeaders, body },
      { now: endpoint.clock(), what, secrets: [apiKey] },
    );
  }
  try {
    return { status, json: JSON.parse(body) as unknown };
  } catch (error) {
    throw new ModelError('MODEL_BAD_RESPONSE', `${what} sent a body that is not JSON`, {
      cause: error,
      details: { status, bodyStart: scrub(body.slice(0, 200), [apiKey]) },
    });
  }
}
