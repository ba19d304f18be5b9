import type { KafkaConnection } from '@paxfleet/kafka';
import {
  TopicReader,
  type ClaimRecord,
  type EventRegistry,
  type TopicRecord,
} from '@paxfleet/events';

export interface ClaimView {
  readonly current: ClaimRecord;
  readonly history: readonly ClaimRecord[];
}

/**
 * Every key's claim state and recent decisions, for people: follows all of
 * content-claims, whichever coordinator instance decided them.
 */
export class ClaimBoard {
  readonly #reader: TopicReader;
  readonly #topic: 'content-claims';
  readonly #historyLength: number;
  readonly #keys = new Map<string, { current: ClaimRecord; history: ClaimRecord[] }>();
  readonly #onRecord: ((record: TopicRecord<'content-claims'>) => void) | undefined;
  #following = false;

  constructor(
    connection: KafkaConnection,
    registry: EventRegistry,
    options: {
      topic?: 'content-claims';
      historyLength?: number;
      /** Told of every decision read, with its headers (the workflow status reads them). */
      onRecord?: (record: TopicRecord<'content-claims'>) => void;
    } = {},
  ) {
    // A record that is not a claim decision has no place on the board: skipped.
    this.#reader = new TopicReader(connection, registry, { clientId: 'coordinator-claim-board' });
    this.#topic = options.topic ?? 'content-claims';
    this.#historyLength = options.historyLength ?? 20;
    this.#onRecord = options.onRecord;
  }

  get following(): boolean {
    return this.#following;
  }

  async start(): Promise<void> {
    await this.#reader.connect();
    await this.#reader.follow<'content-claims'>(
      await this.#reader.everyPartition(this.#topic),
      (record) => {
        this.#add(record.value);
        this.#onRecord?.(record);
      },
    );
    this.#following = true;
  }

  async stop(): Promise<void> {
    this.#following = false;
    await this.#reader.close();
  }

  list(): ClaimRecord[] {
    return [...this.#keys.values()]
      .map((entry) => entry.current)
      .sort((a, b) => b.decided_at - a.decided_at);
  }

  get(workKey: string): ClaimView | undefined {
    return this.#keys.get(workKey);
  }

  #add(record: ClaimRecord): void {
    const entry = this.#keys.get(record.work_key) ?? { current: record, history: [] };
    entry.current = record;
    entry.history.push(record);
    if (entry.history.length > this.#historyLength) entry.history.shift();
    this.#keys.set(record.work_key, entry);
  }
}
