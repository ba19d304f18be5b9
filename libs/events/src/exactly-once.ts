import type { Logger } from '@paxfleet/core';
import {
  ASSIGN_PARTITIONS,
  REVOKE_PARTITIONS,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type Producer,
} from '@paxfleet/kafka';
import type { TopicName } from './generated/events.ts';
import {
  collectingOutbox,
  deadLetterRecord,
  decodeInput,
  positive,
  silentLogger,
  sleep,
  type InputRecord,
  type ProcessorOptions,
  type RecordCodecs,
  type TopicPartition,
} from './input-records.ts';
import { DEFAULT_MAX_RECORD_BYTES, type OutgoingRecord } from './records.ts';
import { Refusal } from './refusals.ts';
import { withConsumerSpan } from './tracing.ts';
import {
  commitTransaction,
  connectTransactionalProducer,
  recoverProducer,
} from './transactional-producer.ts';

export type { InputRecord, Outbox, TopicPartition, Transform } from './input-records.ts';

export interface ExactlyOnceOptions<K extends TopicName> extends ProcessorOptions<K> {
  /** Most input records per transaction (default 100). */
  readonly maxBatchRecords?: number;
  /** Longest a transaction gathers input before it commits, in ms (default 200). */
  readonly maxBatchMs?: number;
  /**
   * Transactions in flight at once (default 4): each lane has its own transactional
   * producer (`<transactionalId>-<lane>`) and serves the partitions that hash to it, so
   * partitions commit side by side instead of waiting for each other's round trips.
   */
  readonly lanes?: number;
  /** Called after each commit with what it contained. */
  readonly onCommit?: (summary: CommitSummary) => void;
}

export interface CommitSummary {
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
  readonly outputs: number;
  readonly deadLetters: number;
  readonly nextOffset: number;
}

/** A transactional producer and the partitions' commits queued on it, one at a time. */
interface Lane {
  readonly index: number;
  producer: Producer | undefined;
  /** Runs waiting for the lane's transaction in progress; the next one takes them all. */
  readonly queue: LaneCommit[];
  /** The lane's commit loop, while it runs. */
  committing: Promise<void> | undefined;
}

/** One partition's pending run waiting for its lane. */
interface LaneCommit {
  /** The topic on the cluster (the offsets are committed there). */
  readonly topic: string;
  readonly partition: number;
  readonly pending: Pending;
  readonly resolveOffset: (offset: string) => void;
  /** Whether it committed; rejected when the producer could not be recovered. */
  readonly result: PromiseWithResolvers<boolean>;
}

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
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #maxBatchRecords: number;
  readonly #maxBatchMs: number;
  readonly #maxAttempts: number;
  readonly #maxRecordBytes: number;
  readonly #attempts = new Map<string, { count: number; error: unknown }>();
  readonly #codecs: RecordCodecs;
  readonly #lanes: Lane[];
  #consumer: Consumer | undefined;
  #stopping = false;
  readonly #refusal: Refusal;

  constructor(options: ExactlyOnceOptions<K>) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#refusal = new Refusal(this.#logger, options.onRefused, () => (this.#stopping = true));
    this.#clock = options.clock ?? Date.now;
    this.#maxBatchRecords = positive('maxBatchRecords', options.maxBatchRecords ?? 100);
    this.#maxBatchMs = positive('maxBatchMs', options.maxBatchMs ?? 200);
    this.#maxAttempts = positive('maxAttempts', options.maxAttempts ?? 3);
    this.#maxRecordBytes = positive(
      'maxRecordBytes',
      options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    );
    positive('transactionTimeoutMs', options.transactionTimeoutMs ?? 10_000);
    this.#lanes = Array.from({ length: positive('lanes', options.lanes ?? 4) }, (_, index) => ({
      index,
      producer: undefined,
      queue: [],
      committing: undefined,
    }));
    this.#codecs = {
      registry: options.registry,
      agent: options.agent,
      maxRecordBytes: this.#maxRecordBytes,
      ...(options.deadLetterTopic && { deadLetterTopic: options.deadLetterTopic }),
      clock: this.#clock,
      logger: this.#logger,
    };
  }

  get consumer(): Consumer | undefined {
    return this.#consumer;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics, registry } = this.#options;
    const group = registry.physicalId(groupId);
    this.#consumer = kafka.consumer({
      ...this.#refusal.consumerLogger(
        kafka,
        `join consumer group ${group} to read ${topics.map((topic) => registry.physicalTopic(topic)).join(', ')}`,
      ),
      'group.id': group,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
      'js.consumer.max.batch.size': this.#maxBatchRecords,
      'session.timeout.ms': this.#options.sessionTimeoutMs ?? 10_000,
      ...(this.#options.groupInstanceId && { 'group.instance.id': this.#options.groupInstanceId }),
      rebalance_cb: (event: { code: number }, assignment: TopicPartition[]) => {
        const partitions = assignment.map(({ topic, partition }) => ({
          topic: registry.logicalTopic(topic),
          partition,
        }));
        if (event.code === ASSIGN_PARTITIONS) this.#options.onAssign?.(partitions);
        if (event.code === REVOKE_PARTITIONS) this.#options.onRevoke?.(partitions);
      },
    });
    await this.#consumer.connect();
    for (const lane of this.#lanes) lane.producer = await this.#connectProducer(lane);
    await this.#consumer.subscribe({
      topics: topics.map((topic) => registry.physicalTopic(topic)),
    });
    await this.#consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.#lanes.length,
      eachBatch: (payload) => this.#processBatch(payload),
    });
  }

  /** Commits what is in hand, then leaves the group and closes both clients. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#consumer?.disconnect();
    await Promise.all(this.#lanes.map((lane) => lane.producer?.disconnect() ?? Promise.resolve()));
    this.#consumer = undefined;
    for (const lane of this.#lanes) lane.producer = undefined;
  }

  #connectProducer(lane: Lane): Promise<Producer> {
    return connectTransactionalProducer({
      kafka: this.#options.kafka,
      transactionalId: this.#options.registry.physicalId(
        `${this.#options.transactionalId}-${lane.index}`,
      ),
      transactionTimeoutMs: this.#options.transactionTimeoutMs ?? 10_000,
      maxRecordBytes: this.#maxRecordBytes,
    });
  }

  /** A batch of one partition: offsets are committed on the cluster's topic, records handled as the catalog's. */
  async #processBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition } = payload.batch;
    const logical = this.#options.registry.logicalTopic(topic) as K;
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
      const handled = await this.#handle(logical, partition, message);
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
        outputs: [
          deadLetterRecord(this.#codecs, topic, partition, message, previous.error, previous.count),
        ],
      };
    }
    let record: InputRecord<K>;
    try {
      record = decodeInput(this.#options.registry, topic, partition, message);
    } catch (error) {
      // Undecodable bytes fail the same way every time: dead-letter them at once.
      return {
        kind: 'dead-letter',
        outputs: [deadLetterRecord(this.#codecs, topic, partition, message, error, 1)],
      };
    }
    const { outbox, outputs } = collectingOutbox(this.#codecs);
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

  /** The lane a partition's transactions go to: the same one for as long as it runs. */
  #laneOf(topic: string, partition: number): Lane {
    let hash = partition;
    for (let index = 0; index < topic.length; index += 1)
      hash = (hash * 31 + topic.charCodeAt(index)) | 0;
    return this.#lanes[Math.abs(hash) % this.#lanes.length] as Lane;
  }

  /**
   * Commits the pending run on its partition's lane. While the lane's transaction is in
   * progress, the runs of its other partitions wait, and the next transaction carries all
   * of them (outputs and offsets of several partitions, as Java's loop commits a poll).
   */
  #commitOrRewind(
    topic: string,
    partition: number,
    pending: Pending,
    resolveOffset: (offset: string) => void,
  ): Promise<boolean> {
    if (pending.records === 0) return Promise.resolve(true);
    const lane = this.#laneOf(topic, partition);
    const result = Promise.withResolvers<boolean>();
    lane.queue.push({ topic, partition, pending, resolveOffset, result });
    lane.committing ??= this.#commitQueued(lane);
    return result.promise;
  }

  async #commitQueued(lane: Lane): Promise<void> {
    while (lane.queue.length > 0) await this.#commitOnLane(lane, lane.queue.splice(0));
    lane.committing = undefined;
  }

  /** One transaction for the runs; on failure each partition rewinds to the broker's committed offset. */
  async #commitOnLane(lane: Lane, commits: readonly LaneCommit[]): Promise<void> {
    const producer = lane.producer;
    const consumer = this.#consumer;
    if (!producer || !consumer) {
      for (const commit of commits) commit.result.resolve(false);
      return;
    }
    const offsets = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, pending } of commits) {
      offsets.set(topic, [
        ...(offsets.get(topic) ?? []),
        { partition, offset: String(pending.lastOffset + 1) },
      ]);
    }
    try {
      await commitTransaction(
        producer,
        commits.flatMap((commit) => commit.pending.outputs),
        () =>
          producer.sendOffsets({
            consumer,
            topics: [...offsets].map(([topic, partitions]) => ({ topic, partitions })),
          }),
      );
    } catch (error) {
      try {
        await this.#recover(lane, error, commits);
        for (const commit of commits) commit.result.resolve(false);
      } catch (unrecovered) {
        for (const commit of commits) commit.result.reject(unrecovered);
      }
      return;
    }
    for (const { topic, partition, pending, resolveOffset, result } of commits) {
      resolveOffset(String(pending.lastOffset));
      this.#options.onCommit?.({
        topic: this.#options.registry.logicalTopic(topic),
        partition,
        records: pending.records,
        outputs: pending.outputs.length,
        deadLetters: pending.deadLetters,
        nextOffset: pending.lastOffset + 1,
      });
      result.resolve(true);
    }
  }

  async #recover(lane: Lane, error: unknown, commits: readonly LaneCommit[]): Promise<void> {
    const recovered = await recoverProducer(lane.producer as Producer, error, () =>
      this.#connectProducer(lane),
    );
    this.#logger.warn(
      recovered.recreated ? 'transaction failed; recreated the producer' : 'transaction aborted',
      {
        partitions: commits.map(({ topic, partition }) => `${topic}[${partition}]`),
        lane: lane.index,
        error: (error as Error).message,
      },
    );
    lane.producer = recovered.producer;
    for (const { topic, partition } of commits) await this.#rewind(topic, partition);
  }

  async #rewind(topic: string, partition: number): Promise<void> {
    const consumer = this.#consumer;
    if (!consumer) return;
    const [committed] = await consumer.committed([{ topic, partition }]);
    const offset = committed && Number(committed.offset) >= 0 ? committed.offset : undefined;
    if (offset !== undefined) consumer.seek({ topic, partition, offset });
  }
}
