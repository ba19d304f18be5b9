import { PartitionReader, type KafkaConnection } from '@paxfleet/kafka';
import type { ClaimRecord, EventRegistry } from '@paxfleet/events';

export interface ClaimView {
  readonly current: ClaimRecord;
  readonly history: readonly ClaimRecord[];
}

/**
 * Every key's claim state and recent decisions, for people: follows all of
 * content-claims, whichever coordinator instance decided them.
 */
export class ClaimBoard {
  readonly #reader: PartitionReader;
  readonly #registry: EventRegistry;
  readonly #topic: 'content-claims';
  readonly #historyLength: number;
  readonly #keys = new Map<string, { current: ClaimRecord; history: ClaimRecord[] }>();
  #following = false;

  constructor(
    connection: KafkaConnection,
    registry: EventRegistry,
    options: { topic?: 'content-claims'; historyLength?: number } = {},
  ) {
    this.#reader = new PartitionReader(connection, { clientId: 'coordinator-claim-board' });
    this.#registry = registry;
    this.#topic = options.topic ?? 'content-claims';
    this.#historyLength = options.historyLength ?? 20;
  }

  get following(): boolean {
    return this.#following;
  }

  async start(): Promise<void> {
    await this.#reader.connect();
    const codec = this.#registry.codecForTopic(this.#topic);
    const partitions = await this.#reader.partitionCount(this.#topic);
    await this.#reader.follow(
      Array.from({ length: partitions }, (_, partition) => ({
        topic: this.#topic,
        partition,
        from: 'beginning' as const,
      })),
      (record) => {
        if (!record.value) return;
        try {
          this.#add(codec.decode(record.value).value);
        } catch {
          // A record that is not a claim decision has no place on the board.
        }
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
