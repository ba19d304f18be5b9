import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import {
  EventsError,
  type Bodies,
  type EventContext,
  type Outbox,
  type TopicValues,
} from '@paxfleet/events';
import {
  estimateTokens,
  promptHash,
  type CompletionRequest,
  type ModelProvider,
  type PriceTable,
} from '@paxfleet/models';

export type ModelCallRecord = TopicValues['model-calls'];

/** The event a work's model calls serve, and where they are recorded. */
export interface LedgerScope {
  readonly agent: string;
  readonly instance: string;
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: number };
  readonly context: EventContext;
  /** The work key the work holds a claim on when the call returns, if any. */
  readonly workKey: () => string | null;
  /** The work's outbox: the ledger record commits, or aborts, with the work's outputs. */
  readonly outbox: Outbox;
  readonly bodies: Bodies;
  readonly prices: PriceTable;
  readonly clock: () => number;
  /** Told of every call recorded (metrics, the budget). */
  readonly onCall: (call: ModelCallRecord) => void;
}

/** Where a completion too large to ride inline is kept: derived from the call, so a retry rewrites it. */
function completionKey(scope: LedgerScope, sequence: number): string {
  const { topic, partition, offset } = scope.source;
  return `model-calls/${scope.agent}/${topic}-${partition}-${offset}-${sequence}.txt`;
}

/**
 * The completion inline, or by reference when over the inline threshold. With no blob
 * store to reference it from, it rides inline anyway: the ledger must not fail the work.
 */
async function storedCompletion(
  scope: LedgerScope,
  sequence: number,
  text: string,
): Promise<{ body: string | null; ref: string }> {
  try {
    return await scope.bodies.put(completionKey(scope, sequence), text);
  } catch (error) {
    if (error instanceof EventsError && error.code === 'BLOB_STORE_REQUIRED')
      return { body: text, ref: '' };
    throw error;
  }
}

/**
 * The model as one work sees it: every call, answered or failed, becomes a model-calls
 * record in the work's transaction (prompt hash, model, tokens, latency, cost by the
 * price table, the completion inline or by reference). A call whose work is aborted
 * leaves no record, as its outputs leave none.
 */
export function ledgeredModel(model: ModelProvider, scope: LedgerScope): ModelProvider {
  let sequence = 0;
  const record = (call: ModelCallRecord) => {
    scope.outbox.send('model-calls', scope.context.workflowId, call, scope.context);
    scope.onCall(call);
  };
  return {
    name: model.name,
    async complete(request: CompletionRequest) {
      const base = {
        call_id: randomUUID(),
        agent: scope.agent,
        instance: scope.instance,
        workflow_id: scope.context.workflowId,
        source_topic: scope.source.topic,
        source_partition: scope.source.partition,
        source_offset: scope.source.offset,
        sequence: sequence++,
        prompt_hash: promptHash(request),
        provider: model.name,
      };
      const started = performance.now();
      let completion;
      try {
        completion = await model.complete(request);
      } catch (error) {
        record({
          ...base,
          work_key: scope.workKey(),
          model: '',
          outcome: 'failed',
          error: (error as Error).message,
          prompt_tokens: 0,
          completion_tokens: 0,
          tokens_estimated: false,
          latency_ms: Math.round(performance.now() - started),
          cost_usd: 0,
          completion: null,
          completion_ref: '',
          recorded_at: scope.clock(),
        });
        throw error;
      }
      const latencyMs = Math.round(performance.now() - started);
      const estimated =
        completion.promptTokens === undefined || completion.completionTokens === undefined;
      const promptTokens =
        completion.promptTokens ?? estimateTokens(`${request.system ?? ''}${request.prompt}`);
      const completionTokens = completion.completionTokens ?? estimateTokens(completion.text);
      const stored = await storedCompletion(scope, base.sequence, completion.text);
      record({
        ...base,
        work_key: scope.workKey(),
        provider: completion.provider,
        model: completion.model,
        outcome: completion.replayed ? 'replayed' : 'ok',
        error: '',
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        tokens_estimated: estimated,
        latency_ms: latencyMs,
        // A replayed answer is priced as the call it stands for (the budget does not count it).
        cost_usd: scope.prices.cost(completion.model, promptTokens, completionTokens),
        completion: stored.body,
        completion_ref: stored.ref,
        recorded_at: scope.clock(),
      });
      return completion;
    },
  };
}
