import {
  PartitionReader,
  type KafkaConnection,
  type PartitionReaderOptions,
  type PartitionRecord,
  type PartitionStart,
  type StartPosition,
} from '@paxfleet/kafka';
import type { TopicName, TopicValues } from './generated/events.ts';
import type { EventRegistry } from './registry.ts';

/** A record of one of the topics, its value decoded by the catalog's codec for the topic. */
export type TopicRecord<K extends TopicName> = {
  [T in K]: Omit<PartitionRecord, 'topic' | 'value'> & {
    readonly topic: T;
    readonly value: TopicValues[T];
  };
}[K];

export interface TopicReaderOptions {
  readonly clientId: string;
  readonly onError?: PartitionReaderOptions['onError'];
  /**
   * Told of every record that cannot be decoded (or has no value), which the reader then
   * skips: a reader that decides nothing must not stop on one bad record, and must not
   * drop it silently either.
   */
  readonly onUndecodable?: (record: PartitionRecord, error: Error) => void;
}

/**
 * Reads the fleet's topics outside any consumer group (no offsets committed): the claims
 * client, the claim board and arbiter, the oracle's log-head watch and the timeline. Each
 * record is decoded by the catalog's codec for its topic; an undecodable one goes to
 * onUndecodable and is skipped. Topics are named as the catalog names them, in starts and
 * in records: the reader reads them in the registry's namespace.
 */
export class TopicReader {
  readonly #reader: PartitionReader;
  readonly #registry: EventRegistry;
  readonly #onUndecodable: TopicReaderOptions['onUndecodable'];

  constructor(connection: KafkaConnection, registry: EventRegistry, options: TopicReaderOptions) {
    this.#registry = registry;
    this.#onUndecodable = options.onUndecodable;
    this.#reader = new PartitionReader(connection, {
      clientId: options.clientId,
      ...(registry.namespace !== undefined && { namespace: registry.namespace }),
      ...(options.onError && { onError: options.onError }),
    });
  }

  connect(): Promise<void> {
    return this.#reader.connect();
  }

  close(): Promise<void> {
    return this.#reader.close();
  }

  /** Every partition of the topic, each from `from`. */
  async everyPartition(
    topic: TopicName,
    from: StartPosition = 'beginning',
  ): Promise<PartitionStart[]> {
    const count = await this.#reader.partitionCount(this.#registry.physicalTopic(topic));
    return Array.from({ length: count }, (_, partition) => ({ topic, partition, from }));
  }

  /** Low and high watermark of every partition of the topic. */
  watermarks(topic: TopicName): Promise<Map<number, { low: number; high: number }>> {
    return this.#reader.watermarks(this.#registry.physicalTopic(topic));
  }

  /**
   * Reads the partitions to their ends as they are now, then resolves. `only` picks records
   * before they are decoded (e.g. by a header), so the others cost no decoding.
   */
  readToEnd<K extends TopicName>(
    starts: readonly PartitionStart[],
    onRecord: (record: TopicRecord<K>) => void,
    only?: (record: PartitionRecord) => boolean,
  ): Promise<void> {
    return this.#reader.readToEnd(this.#physical(starts), this.#decoding(onRecord, only));
  }

  /** Resolves once the partitions are read to their ends, then keeps delivering new records. */
  follow<K extends TopicName>(
    starts: readonly PartitionStart[],
    onRecord: (record: TopicRecord<K>) => void,
    only?: (record: PartitionRecord) => boolean,
  ): Promise<void> {
    return this.#reader.follow(this.#physical(starts), this.#decoding(onRecord, only));
  }

  #physical(starts: readonly PartitionStart[]): PartitionStart[] {
    return starts.map((start) => ({ ...start, topic: this.#registry.physicalTopic(start.topic) }));
  }

  #decoding<K extends TopicName>(
    onRecord: (record: TopicRecord<K>) => void,
    only: ((record: PartitionRecord) => boolean) | undefined,
  ): (record: PartitionRecord) => void {
    return (onCluster) => {
      const topic = this.#registry.logicalTopic(onCluster.topic);
      const record = topic === onCluster.topic ? onCluster : { ...onCluster, topic };
      if (only && !only(record)) return;
      let decoded: TopicRecord<K>;
      try {
        if (!record.value) throw new Error('record has no value');
        const value = this.#registry.codecForTopic(record.topic as K).decode(record.value).value;
        decoded = { ...record, topic: record.topic as K, value };
      } catch (error) {
        this.#onUndecodable?.(record, error as Error);
        return;
      }
      onRecord(decoded);
    };
  }
}
