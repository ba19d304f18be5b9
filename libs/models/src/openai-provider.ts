import { ModelError } from './errors.ts';
import {
  displayUrl,
  isRecord,
  modelErrorForFetchFailure,
  modelErrorForResponse,
  scrub,
} from './http-errors.ts';
import type { Completion, CompletionRequest, ModelProvider } from './model-provider.ts';

export interface OpenAICompatibleProviderOptions {
  /** Up to the version segment: https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama). */
  readonly baseUrl: string;
  /** Sent as a Bearer token when set; Ollama and vLLM usually need none. */
  readonly apiKey?: string;
  readonly model: string;
  /** Whole-call budget: connecting, waiting and reading the body. */
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  /** For Retry-After given as an HTTP-date. */
  readonly clock?: () => number;
}

/** Chat completions over HTTP for any OpenAI-compatible server (OpenAI, Ollama's /v1, vLLM). */
export class OpenAICompatibleProvider implements ModelProvider {
  readonly name = 'openai';
  readonly #endpoint: string;
  /** The endpoint as named in errors: no user info, no query. */
  readonly #where: string;
  readonly #apiKey: string | undefined;
  readonly #model: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #clock: () => number;

  constructor(options: OpenAICompatibleProviderOptions) {
    this.#endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.#where = displayUrl(this.#endpoint, 'MODEL_BASE_URL');
    this.#apiKey = options.apiKey || undefined;
    this.#model = options.model;
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#clock = options.clock ?? Date.now;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const messages = [
      ...(request.system ? [{ role: 'system', content: request.system }] : []),
      { role: 'user', content: request.prompt },
    ];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;

    let status: number;
    let responseHeaders: Headers;
    let body: string;
    try {
      const response = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: this.#model,
          messages,
          max_tokens: request.maxTokens,
          temperature: request.temperature,
        }),
        signal,
      });
      status = response.status;
      responseHeaders = response.headers;
      body = await response.text();
    } catch (error) {
      throw modelErrorForFetchFailure(error, {
        what: `model endpoint ${this.#where}`,
        callerSignal: request.signal,
        timeout,
        timeoutMs: this.#timeoutMs,
        secrets: [this.#apiKey],
      });
    }

    if (status < 200 || status > 299) {
      throw modelErrorForResponse(
        { status, headers: responseHeaders, body },
        { now: this.#clock(), what: `model endpoint ${this.#where}`, secrets: [this.#apiKey] },
      );
    }
    return this.#parse(body, status);
  }

  #parse(body: string, status: number): Completion {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new ModelError(
        'MODEL_BAD_RESPONSE',
        `model endpoint ${this.#where} sent a body that is not JSON`,
        {
          cause: error,
          details: { status, bodyStart: scrub(body.slice(0, 200), [this.#apiKey]) },
        },
      );
    }
    const choices = isRecord(parsed) ? parsed.choices : undefined;
    const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
    const message = isRecord(first) ? first.message : undefined;
    const content = isRecord(message) ? message.content : undefined;
    if (!isRecord(parsed) || typeof content !== 'string') {
      throw new ModelError(
        'MODEL_BAD_RESPONSE',
        `model endpoint ${this.#where} sent no choices[0].message.content`,
        {
          details: { status },
        },
      );
    }
    const usage = isRecord(parsed.usage) ? parsed.usage : {};
    return {
      text: content,
      model: typeof parsed.model === 'string' ? parsed.model : this.#model,
      provider: this.name,
      ...(typeof usage.prompt_tokens === 'number' ? { promptTokens: usage.prompt_tokens } : {}),
      ...(typeof usage.completion_tokens === 'number'
        ? { completionTokens: usage.completion_tokens }
        : {}),
    };
  }
}
