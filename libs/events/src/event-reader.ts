import type { Consumer, Kafka, KafkaMessage } from '@paxfleet/kafka';
import { DEAD_LETTER_TOPIC, deadLetterFor } from './dead-letters.ts';
import type { EventProducer } from './event-producer.ts';
import { contextFromHeaders, type EventContext } from './headers.ts';
import type { TopicName, TopicValues } from './generated/events.ts';
import type { EventRegistry } from './registry.ts';
import { withConsumerSpan } from './tracing.ts';
import type { ProcessorLogger } from './exactly-once.ts';

export type ReadRecord<K extends TopicName> = {
  [T in K]: {
    readonly topic: T;
    readonly partition: number;
    readonly offset: number;
    readonly timestamp: number;
    readonly key: string | null;
    readonly value: TopicValues[T];
    readonly writerVersion: number;
    readonly context: EventContext | undefined;
  };
}[K];

export interface EventReaderOptions<K extends TopicName> {
  readonly kafka: Kafka;
  readonly registry: EventRegistry;
  readonly agent: string;
  readonly groupId: string;
  readonly topics: readonly K[];
  readonly handle: (record: ReadRecord<K>) => Promise<void>;
  /** Where undecodable records go; they are never dropped silently. */
  readonly deadLetters: EventProducer;
  readonly fromBeginning?: boolean;
  readonly logger?: ProcessorLogger;
  readonly clock?: () => number;
}

/**
 * At-least-once reading for consumers that only read (dashboards, archives):
 * offsets commit after the handler returns, so a crash re-reads, never skips.
 */
export class EventReader<K extends TopicName> {
  readonly #options: EventReaderOptions<K>;
  #consumer: Consumer | undefined;

  constructor(options: EventReaderOptions<K>) {
    this.#options = options;
  }

  get consumer(): Consumer | undefined {
    return this.#consumer;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.#options;
    this.#consumer = kafka.consumer({
      'group.id': groupId,
      'enable.auto.commit': true,
      'auto.commit.interval.ms': 1000,
      'auto.offset.reset': this.#options.fromBeginning === false ? 'latest' : 'earliest',
      'isolation.level': 'read_committed',
    });
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topics: [...topics] });
    await this.#consumer.run({
      eachMessage: ({ topic, partition, message }) => this.#read(topic as K, partition, message),
    });
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    this.#consumer = undefined;
  }

  async #read(topic: K, partition: number, message: KafkaMessage): Promise<void> {
    let record: ReadRecord<K>;
    try {
      if (!message.value) throw new Error('record has no value');
      const { value, writerVersion } = this.#options.registry
        .codecForTopic(topic)
        .decode(message.value);
      record = {
        topic,
        partition,
        offset: Number(message.offset),
        timestamp: Number(message.timestamp),
        key: message.key?.toString('utf8') ?? null,
        value,
        writerVersion,
        context: contextFromHeaders(message.headers),
      };
    } catch (error) {
      this.#options.logger?.error('undecodable record sent to dead-letters', {
        topic,
        partition,
        offset: message.offset,
        error: (error as Error).message,
      });
      const now = (this.#options.clock ?? Date.now)();
      await this.#options.deadLetters.send(
        DEAD_LETTER_TOPIC,
        topic,
        deadLetterFor({ topic, partition, message }, error, this.#options.agent, 1, now),
        contextFromHeaders(message.headers) ?? { workflowId: 'unknown' },
      );
      return;
    }
    const traced = { ...record, context: record.context ?? { workflowId: 'unknown' } };
    await withConsumerSpan(traced, this.#options.groupId, () => this.#options.handle(record));
  }
}
