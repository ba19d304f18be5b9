import { ModelError } from './errors.ts';
import { displayUrl, isRecord } from './http-errors.ts';
import type { Completion, CompletionRequest, ModelProvider } from './model-provider.ts';
import { postJson, type OpenAIEndpoint } from './openai-http.ts';

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
  readonly #endpoint: OpenAIEndpoint;
  readonly #model: string;

  constructor(options: OpenAICompatibleProviderOptions) {
    const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.#endpoint = {
      url,
      what: `model endpoint ${displayUrl(url, 'MODEL_BASE_URL')}`,
      apiKey: options.apiKey || undefined,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch ?? globalThis.fetch,
      clock: options.clock ?? Date.now,
    };
    this.#model = options.model;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const messages = [
      ...(request.system ? [{ role: 'system', content: request.system }] : []),
      { role: 'user', content: request.prompt },
    ];
    const { status, json } = await postJson(
      this.#endpoint,
      {
        model: this.#model,
        messages,
        max_tokens: request.maxTokens,
        temperature: request.temperature,
      },
      request.signal,
    );
    return this.#parse(json, status);
  }

  #parse(parsed: unknown, status: number): Completion {
    const choices = isRecord(parsed) ? parsed.choices : undefined;
    const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
    const message = isRecord(first) ? first.message : undefined;
    const content = isRecord(message) ? message.content : undefined;
    if (!isRecord(parsed) || typeof content !== 'string') {
      throw new ModelError(
        'MODEL_BAD_RESPONSE',
        `${this.#endpoint.what} sent no choices[0].message.content`,
        { details: { status } },
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
