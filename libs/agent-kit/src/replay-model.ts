import type { KafkaConnection, PartitionRecord } from '@paxfleet/kafka';
import { HEADER, TopicReader, type Bodies, type EventRegistry } from '@paxfleet/events';
import { promptHash, type ModelProvider } from '@paxfleet/models';
import type { ModelCallRecord } from './model-ledger.ts';

/** The producer of the recordings a shadow replay puts on its namespace's model-calls. */
export const REPLAY_PRODUCER = 'replay';

/**
 * The model answers of a past run, by agent and prompt hash: the n-th call of an agent
 * with a prompt gets the n-th recorded answer to it. Only answered calls are recordings.
 */
export class RecordedCalls {
  readonly #calls = new Map<string, ModelCallRecord[]>();
  #size = 0;

  add(call: ModelCallRecord): void {
    if (call.outcome !== 'ok' && call.outcome !== 'replayed') return;
    const key = `${call.agent}\u0000${call.prompt_hash}`;
    const queue = this.#calls.get(key) ?? [];
    queue.push(call);
    this.#calls.set(key, queue);
    this.#size += 1;
  }

  get size(): number {
    return this.#size;
  }

  take(agent: string, hash: string): ModelCallRecord | undefined {
    return this.#calls.get(`${agent}\u0000${hash}`)?.shift();
  }
}

/** Reads the recordings on the namespace's model-calls, as the replay command wrote them, into `recorded`. */
export async function loadRecordedCalls(
  connection: KafkaConnection,
  registry: EventRegistry,
  recorded: RecordedCalls,
): Promise<void> {
  const reader = new TopicReader(connection, registry, { clientId: 'paxfleet-replay-recordings' });
  await reader.connect();
  try {
    const byReplay = (record: PartitionRecord) =>
      record.headers[HEADER.producer]?.toString('utf8') === REPLAY_PRODUCER;
    await reader.readToEnd<'model-calls'>(
      await reader.everyPartition('model-calls'),
      (record) => recorded.add(record.value),
      byReplay,
    );
  } finally {
    await reader.close();
  }
}

/**
 * The model of a shadow replay: a call with a recording is answered from it (marked
 * replayed); a call the past run never made (a changed prompt, a new agent version)
 * goes to the model.
 */
export function replayingModel(
  model: ModelProvider,
  agent: string,
  recorded: RecordedCalls,
  bodies: Bodies,
): ModelProvider {
  return {
    name: model.name,
    async complete(request) {
      const call = recorded.take(agent, promptHash(request));
      if (!call) return model.complete(request);
      return {
        text: await bodies.get({ body: call.completion, ref: call.completion_ref }),
        model: call.model,
        provider: call.provider,
        promptTokens: call.prompt_tokens,
        completionTokens: call.completion_tokens,
        replayed: true,
      };
    },
  };
}
