import { createHash } from 'node:crypto';

/** One model call: an optional system message and the user's prompt. */
export interface CompletionRequest {
  readonly system?: string;
  readonly prompt: string;
  /** Upper bound on the completion's length, in tokens (about 4 characters each). */
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** Aborts the call (the agent is shutting down or gave up on the work). */
  readonly signal?: AbortSignal;
}

export interface Completion {
  readonly text: string;
  /** The model that answered, as the provider names it. */
  readonly model: string;
  /** The provider's name, for metrics and logs. */
  readonly provider: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** Answered from a recorded call of the ledger (shadow replay), not by a model. */
  readonly replayed?: boolean;
}

/** What every agent calls for text; the fleet chooses the implementation at boot. */
export interface ModelProvider {
  readonly name: string;
  complete(request: CompletionRequest): Promise<Completion>;
}

/** What identifies a request's text: sha256 (hex) of the system message, a NUL and the prompt. */
export function promptHash(request: Pick<CompletionRequest, 'system' | 'prompt'>): string {
  return createHash('sha256')
    .update(`${request.system ?? ''}\u0000${request.prompt}`)
    .digest('hex');
}

/** About four characters a token: for providers that report no usage. */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
