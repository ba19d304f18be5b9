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
}

/** What every agent calls for text; the fleet chooses the implementation at boot. */
export interface ModelProvider {
  readonly name: string;
  complete(request: CompletionRequest): Promise<Completion>;
}
