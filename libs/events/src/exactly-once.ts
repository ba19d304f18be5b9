import {
  KafkaErrors,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from '@paxfleet/kafka';
import { EventsError } from './errors.ts';
import { deadLetterFor, DEAD_LETTER_TOPIC } from './dead-letters.ts';
import {
  contextFromHeaders,
  headerText,
  HEADER,
  newTraceparent,
  type EventContext,
} from './headers.ts';
import type { TopicName, TopicValues } from './generated/events.ts';
import {
  DEFAULT_MAX_RECORD_BYTES,
  encodeRecord,
  groupByTopic,
  type OutgoingRecord,
  type SendOptions,
} from './records.ts';
import type { EventRegistry } from './registry.ts';
import { withConsumerSpan } from './tracing.ts';

/** One decoded input record, typed by its topic. */
export type InputRecord<K extends TopicName> = {
  [T in K]: {
    readonly topic: T;
    readonly partition: number;
    readonly offset: number;
    /** Broker timestamp in epoch milliseconds. */
    readonly timestamp: number;
    readonly key: string | null;
    readonly value: TopicValues[T];
    readonly writerVersion: number;
    readonly headers: Readonly<Record<string, string>>;
    /** The workflow and trace the record belongs to; a record without a workflow-id starts one of its own. */
    readonly context: EventContext;
  };
}[K];

/** Collects the records a transform produces; they are written in the input's transaction. */
export interface Outbox {
  send<K extends TopicName>(
    topic: K,
    key: string,
    value: TopicValues[K],
    context: EventContext,
    options?: SendOptions,
  ): void;
}

export type Transform<K extends TopicName> = (
  record: InputRecord<K>,
  outbox: Outbox,
) => Promise<void>;

export interface ProcessorLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ExactlyOnceOptions<K extends TopicName> {
  readonly kafka: Kafka;
  readonly registry: EventRegistry;
  /** Agent id: the producer header and the dead letters' failed_by. */
  readonly agent: string;
  readonly groupId: string;
  readonly topics: readonly K[];
  /** Stable per instance, so a restarted instance fences its previous self at once. */
  readonly transactionalId: string;
  readonly transform: Transform<K>;
  /** Static group membership: a restart with the same id takes its partitions back without a rebalance. */
  readonly groupInstanceId?: string;
  /** How long the group waits for a silent member before reassigning its partitions (default 10000). */
  readonly sessionTimeoutMs?: number;
  /** Where records that cannot be processed go (default dead-letters). */
  readonly deadLetterTopic?: TopicName;
  /** Most input records per transaction (default 100). */
  readonly maxBatchRecords?: number;
  /** Longest a transaction gathers input before it commits, in ms (default 200). */
  readonly maxBatchMs?: number;
  /** Attempts before a failing record goes to dead-letters (default 3). */
  readonly maxAttempts?: number;
  /** Broker-side timeout of an abandoned transaction, in ms (default 10000). */
  readonly transactionTimeoutMs?: number;
  readonly maxRecordBytes?: number;
  readonly logger?: ProcessorLogger;
  readonly clock?: () => number;
  /** Called when the group gives this instance partitions, before any of their records is processed. */
  readonly onAssign?: (partitions: readonly TopicPartition[]) => void;
  /** Called when partitions are taken away, after their last transaction finished. */
  readonly onRevoke?: (partitions: readonly TopicPartition[]) => void;
  /** Called after each commit with what it contained. */
  readonly onCommit?: (summary: CommitSummary) => void;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

const ASSIGN_PARTITIONS = -175;
const REVOKE_PARTITIONS = -174;

export interface CommitSummary {
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
  readonly outputs: number;
  readonly deadLetters: number;
  readonly nextOffset: number;
}

const silent: ProcessorLogger = { info() {}, warn() {}, error() {} };

interface Pending {
  lastOffset: number;
  records: number;
  outputs: OutgoingRecord[];
  deadLetters: number;
  startedAt: number;
}

/**
 * Consume-transform-produce in Kafka transactions: the outputs of a run of
 * input records and the offset after the last of them commit together, with
 * the consumer's group metadata, so a crash at any moment leaves neither
 * duplicates nor gaps for read_committed readers.
 */
export class ExactlyOnceProcessor<K extends TopicName> {
  readonly #options: ExactlyOnceOptions<K>;
  readonly #logger: ProcessorLogger;
  readonly #clock: () => number;
  readonly #maxBatchRecords: number;
  readonly #maxBatchMs: number;
  readonly #maxAttempts: number;
  readonly #maxRecordBytes: number;
  readonly #attempts = new Map<string, { count: number; error: unknown }>();
  #consumer: Consumer | undefined;
  #producer: Producer | undefined;
  #stopping = false;

  constructor(options: ExactlyOnceOptions<K>) {
    this.#options = options;
    this.#logger = options.logger ?? silent;
    this.#clock = options.clock ?? Date.now;
    this.#maxBatchRecords = positive('maxBatchRecords', options.maxBatchRecords ?? 100);
    this.#maxBatchMs = positive('maxBatchMs', options.maxBatchMs ?? 200);
    this.#maxAttempts = positive('maxAttempts', options.maxAttempts ?? 3);
    this.#maxRecordBytes = positive(
      'maxRecordBytes',
      options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    );
    positive('transactionTimeoutMs', options.transactionTimeoutMs ?? 10_000);
  }

  get consumer(): Consumer | undefined {
    return this.#consumer;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.#options;
    this.#consumer = kafka.consumer({
      'group.id': groupId,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
      'js.consumer.max.batch.size': this.#maxBatchRecords,
      'session.timeout.ms': this.#options.sessionTimeoutMs ?? 10_000,
      ...(this.#options.groupInstanceId && { 'group.instance.id': this.#options.groupInstanceId }),
      rebalance_cb: (event: { code: number }, assignment: TopicPartition[]) => {
        const partitions = assignment.map(({ topic, partition }) => ({ topic, partition }));
        if (event.code === ASSIGN_PARTITIONS) this.#options.onAssign?.(partitions);
        if (event.code === REVOKE_PARTITIONS) this.#options.onRevoke?.(partitions);
      },
    });
    await this.#consumer.connect();
    this.#producer = await this.#connectProducer();
    await this.#consumer.subscribe({ topics: [...topics] });
    await this.#consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#processBatch(payload),
    });
  }

  /** Commits what is in hand, then leaves the group and closes both clients. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#consumer?.disconnect();
    await this.#producer?.disconnect();
    this.#consumer = undefined;
    this.#producer = undefined;
  }

  async #connectProducer(): Promise<Producer> {
    const producer = this.#options.kafka.producer({
      'transactional.id': this.#options.transactionalId,
      'enable.idempotence': true,
      'transaction.timeout.ms': this.#options.transactionTimeoutMs ?? 10_000,
      // librdkafka requires requests to time out before the transaction does.
      'socket.timeout.ms': this.#options.transactionTimeoutMs ?? 10_000,
      'message.max.bytes': this.#maxRecordBytes + 1024,
      'linger.ms': 5,
    });
    await producer.connect();
    return producer;
  }

  async #processBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition } = payload.batch;
    const resolveOffset = (offset: string) => payload.resolveOffset(offset);
    const isStale = () => payload.isStale();
    const batch = payload.batch;
    let pending: Pending | undefined;
    for (const message of batch.messages) {
      if (this.#stopping || isStale()) break;
      pending ??= {
        lastOffset: -1,
        records: 0,
        outputs: [],
        deadLetters: 0,
        startedAt: this.#clock(),
      };
      const handled = await this.#handle(topic as K, partition, message);
      if (handled.kind === 'retry') {
        await this.#commitOrRewind(topic, partition, pending, resolveOffset);
        await sleep(Math.min(100 * 2 ** handled.attempt, 2000));
        return;
      }
      pending.outputs.push(...handled.outputs);
      pending.lastOffset = Number(message.offset);
      pending.records += 1;
      if (handled.kind === 'dead-letter') pending.deadLetters += 1;
      if (
        pending.records >= this.#maxBatchRecords ||
        this.#clock() - pending.startedAt >= this.#maxBatchMs
      ) {
        if (!(await this.#commitOrRewind(topic, partition, pending, resolveOffset))) return;
        pending = undefined;
      }
    }
    if (pending && !isStale()) await this.#commitOrRewind(topic, partition, pending, resolveOffset);
  }

  async #handle(
    topic: K,
    partition: number,
    message: KafkaMessage,
  ): Promise<
    { kind: 'done' | 'dead-letter'; outputs: OutgoingRecord[] } | { kind: 'retry'; attempt: number }
  > {
    const attemptKey = `${topic}:${partition}:${message.offset}`;
    const previous = this.#attempts.get(attemptKey);
    if (previous && previous.count >= this.#maxAttempts) {
      this.#attempts.delete(attemptKey);
      return {
        kind: 'dead-letter',
        outputs: [this.#deadLetter(topic, partition, message, previous.error, previous.count)],
      };
    }
    let record: InputRecord<K>;
    try {
      record = this.#decode(topic, partition, message);
    } catch (error) {
      // Undecodable bytes fail the same way every time: dead-letter them at once.
      return {
        kind: 'dead-letter',
        outputs: [this.#deadLetter(topic, partition, message, error, 1)],
      };
    }
    const outputs: OutgoingRecord[] = [];
    const outbox: Outbox = {
      send: (outTopic, key, value, context, options) => {
        outputs.push(
          encodeRecord(
            this.#options.registry,
            this.#options.agent,
            this.#maxRecordBytes,
            outTopic,
            key,
            value,
            context,
            options,
          ),
        );
      },
    };
    try {
      await withConsumerSpan(record, this.#options.groupId, () =>
        this.#options.transform(record, outbox),
      );
      this.#attempts.delete(attemptKey);
      return { kind: 'done', outputs };
    } catch (error) {
      const count = (previous?.count ?? 0) + 1;
      this.#attempts.set(attemptKey, { count, error });
      this.#logger.warn('record failed; will retry from the last committed offset', {
        topic,
        partition,
        offset: message.offset,
        attempt: count,
        error: (error as Error).message,
      });
      return { kind: 'retry', attempt: count };
    }
  }

  #decode(topic: K, partition: number, message: KafkaMessage): InputRecord<K> {
    if (!message.value) throw new EventsError('DECODE_NOT_SINGLE_OBJECT', 'record has no value');
    const { value, writerVersion } = this.#options.registry
      .codecForTopic(topic)
      .decode(message.value);
    const headers: Record<string, string> = {};
    for (const name of Object.keys(message.headers ?? {})) {
      const text = headerText(message.headers, name);
      if (text !== undefined) headers[name] = text;
    }
    const workflowId = (value as { workflow_id?: unknown }).workflow_id;
    const context = contextFromHeaders(message.headers) ?? {
      workflowId:
        typeof workflowId === 'string' && workflowId
          ? workflowId
          : `unknown-${topic}-${partition}-${message.offset}`,
      traceparent: newTraceparent(),
    };
    return {
      topic,
      partition,
      offset: Number(message.offset),
      timestamp: Number(message.timestamp),
      key: message.key?.toString('utf8') ?? null,
      value,
      writerVersion,
      headers,
      context,
    };
  }

  #deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
  ): OutgoingRecord {
    this.#logger.error('record dead-lettered', {
      topic,
      partition,
      offset: message.offset,
      attempts,
      error: (error as Error)?.message ?? String(error),
    });
    const context = contextFromHeaders(message.headers) ?? {
      workflowId: headerText(message.headers, HEADER.workflowId) ?? 'unknown',
    };
    return encodeRecord(
      this.#options.registry,
      this.#options.agent,
      this.#maxRecordBytes,
      this.#options.deadLetterTopic ?? DEAD_LETTER_TOPIC,
      topic,
      deadLetterFor(
        { topic, partition, message },
        error,
        this.#options.agent,
        attempts,
        this.#clock(),
      ),
      context,
    );
  }

  /** Commits the pending run; on failure rewinds to the broker's committed offset. Returns whether it committed. */
  async #commitOrRewind(
    topic: string,
    partition: number,
    pending: Pending,
    resolveOffset: (offset: string) => void,
  ): Promise<boolean> {
    if (pending.records === 0) return true;
    const producer = this.#producer;
    const consumer = this.#consumer;
    if (!producer || !consumer) return false;
    const nextOffset = pending.lastOffset + 1;
    try {
      await producer.transaction();
      if (pending.outputs.length > 0)
        await producer.sendBatch({ topicMessages: groupByTopic(pending.outputs) });
      await producer.sendOffsets({
        consumer,
        topics: [{ topic, partitions: [{ partition, offset: String(nextOffset) }] }],
      });
      await producer.commit();
    } catch (error) {
      await this.#recover(error, topic, partition);
      return false;
    }
    resolveOffset(String(pending.lastOffset));
    this.#options.onCommit?.({
      topic,
      partition,
      records: pending.records,
      outputs: pending.outputs.length,
      deadLetters: pending.deadLetters,
      nextOffset,
    });
    return true;
  }

  async #recover(error: unknown, topic: string, partition: number): Promise<void> {
    const producer = this.#producer as Producer;
    const kafkaError = KafkaErrors.isKafkaJSError(error as Error)
      ? (error as { fatal?: boolean; abortable?: boolean })
      : {};
    const abortable = kafkaError.abortable === true && kafkaError.fatal !== true;
    this.#logger.warn(
      abortable ? 'transaction aborted' : 'transaction failed; recreating the producer',
      {
        topic,
        partition,
        error: (error as Error).message,
      },
    );
    let recreate = !abortable;
    if (abortable && producer.isActive()) {
      try {
        await producer.abort();
      } catch {
        recreate = true;
      }
    }
    if (recreate) {
      // A fenced producer or an ambiguous commit: a fresh producer with the same
      // transactional.id finishes or aborts whatever the old one left open.
      await producer.disconnect().catch(() => undefined);
      this.#producer = await this.#connectProducer();
    }
    await this.#rewind(topic, partition);
  }

  async #rewind(topic: string, partition: number): Promise<void> {
    const consumer = this.#consumer;
    if (!consumer) return;
    const [committed] = await consumer.committed([{ topic, partition }]);
    const offset = committed && Number(committed.offset) >= 0 ? committed.offset : undefined;
    if (offset !== undefined) consumer.seek({ topic, partition, offset });
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new EventsError(
      'PROCESSOR_CONFIG_INVALID',
      `${name} must be a positive number (got ${value})`,
    );
  }
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
