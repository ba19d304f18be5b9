import type { Logger } from '@paxfleet/core';
import {
  ASSIGN_PARTITIONS,
  KafkaErrors,
  kafkaUser,
  notAuthorized,
  REVOKE_PARTITIONS,
  sendOffsetsWithMetadata,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type Producer,
} from '@paxfleet/kafka';
import type { TopicName } from '../generated/events.ts';
import {
  collectingOutbox,
  deadLetterRecord,
  decodeInput,
  nonNegative,
  positive,
  silentLogger,
  sleep,
  type InputRecord,
  type ProcessorOptions,
  type RecordCodecs,
  type TopicPartition,
} from '../input-records.ts';
import { DEFAULT_MAX_RECORD_BYTES, type OutgoingRecord } from '../records.ts';
import { Refusal } from '../refusals.ts';
import { withConsumerSpan } from '../tracing.ts';
import {
  commitTransaction,
  connectTransactionalProducer,
  recoverProducer,
} from '../transactional-producer.ts';
import { decodeDoneBeyond, PartitionProgress } from './partition-progress.ts';
import { KeySequencer, WorkWindow } from './work-window.ts';

export interface ConcurrentProcessorOptions<K extends TopicName> extends ProcessorOptions<K> {
  /** Most events in flight at once, across partitions and keys (default 32). */
  readonly concurrency?: number;
  /** How long stop() lets in-flight events finish before leaving them to the next owner (default 20000 ms). */
  readonly drainTimeoutMs?: number;
  /** Most offsets a partition may run ahead of its committed position, which bounds the commit metadata (default 16384). */
  readonly maxAhead?: number;
  /** After each transaction: how many events it committed, over how many partitions. */
  readonly onCommit?: (summary: ConcurrentCommit) => void;
  /** A record not handled again: the commit metadata says its outputs are committed. */
  readonly onSkip?: (record: { topic: string; partition: number; offset: number }) => void;
}

export interface ConcurrentCommit {
  readonly events: number;
  readonly outputs: number;
  readonly deadLetters: number;
  readonly partitions: readonly (TopicPartition & { readonly nextOffset: number })[];
}

/** Longest a rebalance or a shutdown waits for the last commit. */
const FLUSH_MS = 5000;

/** The state of one assigned partition; replaced when the partition is assigned again. */
interface Owned {
  /** The topic on the cluster: offsets are read and committed there. */
  readonly topic: string;
  /** The catalog's name of the topic: the records' and the callbacks'. */
  readonly logical: string;
  readonly partition: number;
  readonly progress: PartitionProgress;
}

/** An event whose outputs are ready to commit. */
interface Completion {
  readonly owned: Owned;
  readonly offset: number;
  readonly outputs: readonly OutgoingRecord[];
  readonly deadLetter: boolean;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Consume-transform-produce with many events in flight. Events run concurrently across
 * partitions and, within a partition, across keys (one key's records in log order);
 * they finish out of order. Finished events share transactions: their outputs, and for
 * each partition the first offset not yet finished with the finished offsets beyond it
 * in the offset metadata, commit together with the group metadata. After a crash or a
 * rebalance the next owner starts at that offset and skips what the metadata names, so
 * no event is lost, none is published twice, and none whose outputs were committed runs
 * again.
 */
export class ConcurrentProcessor<K extends TopicName> {
  readonly #options: ConcurrentProcessorOptions<K>;
  readonly #logger: Logger;
  readonly #codecs: RecordCodecs;
  readonly #maxAttempts: number;
  readonly #maxAhead: number;
  readonly #drainTimeoutMs: number;
  readonly #window: WorkWindow;
  readonly #sequencer = new KeySequencer();
  readonly #owned = new Map<string, Owned>();
  #ready: Completion[] = [];
  #committing: Promise<void> | undefined;
  readonly #stopping = new AbortController();
  readonly #refusal: Refusal;
  #consumer: Consumer | undefined;
  #producer: Producer | undefined;
  #paused = false;

  constructor(options: ConcurrentProcessorOptions<K>) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#refusal = new Refusal(this.#logger, options.onRefused, () => this.#stopping.abort());
    this.#maxAttempts = positive('maxAttempts', options.maxAttempts ?? 3);
    this.#maxAhead = positive('maxAhead', options.maxAhead ?? 16_384);
    // 0 is allowed: leave every in-flight event to the next owner at once.
    this.#drainTimeoutMs = nonNegative('drainTimeoutMs', options.drainTimeoutMs ?? 20_000);
    this.#window = new WorkWindow(positive('concurrency', options.concurrency ?? 32));
    positive('transactionTimeoutMs', options.transactionTimeoutMs ?? 10_000);
    this.#codecs = {
      registry: options.registry,
      agent: options.agent,
      maxRecordBytes: positive(
        'maxRecordBytes',
        options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      ),
      ...(options.deadLetterTopic && { deadLetterTopic: options.deadLetterTopic }),
      clock: options.clock ?? Date.now,
      logger: this.#logger,
    };
  }

  /** Events taken and not finished (running, or waiting behind their key). */
  get inFlight(): number {
    return this.#window.size;
  }

  get concurrency(): number {
    return this.#window.capacity;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Stops taking events until resume(): fetching pauses, the events in flight go on to
   * their commit, and the instance stays in its group with its partitions.
   */
  pause(): void {
    this.#paused = true;
    this.#whenConnected((consumer) => consumer.pause(this.#physicalTopics()));
  }

  /**
   * Takes events again. Pausing drops what the client had fetched and not handed out, so
   * each assigned partition is sought to what this instance has not taken: after its last
   * delivered offset, or its committed offset when it has taken nothing.
   */
  async resume(): Promise<void> {
    this.#paused = false;
    const consumer = this.#consumer;
    if (!consumer) return;
    const assigned = consumer.assignment();
    const untaken = assigned.filter(
      ({ topic, partition }) => !this.#owned.has(partitionKey(topic, partition)),
    );
    const committed = untaken.length > 0 ? await consumer.committed(untaken) : [];
    this.#whenConnected((connected) => {
      connected.resume(this.#physicalTopics());
      for (const { topic, partition } of assigned) {
        const owned = this.#owned.get(partitionKey(topic, partition));
        const stored = committed.find(
          (entry) => entry.topic === topic && entry.partition === partition,
        );
        const offset = owned
          ? owned.progress.next
          : stored && Number(stored.offset) >= 0
            ? Number(stored.offset)
            : undefined;
        // No committed offset: auto.offset.reset decides where it starts, as at assignment.
        if (offset !== undefined) connected.seek({ topic, partition, offset: String(offset) });
      }
    });
  }

  /** Not connected yet (or any more): #take pauses each partition as its first batch comes. */
  #whenConnected(act: (consumer: Consumer) => void): void {
    if (!this.#consumer) return;
    try {
      act(this.#consumer);
    } catch (error) {
      if (!(error instanceof Error && KafkaErrors.isKafkaJSError(error))) throw error;
    }
  }

  #physicalTopics(): { topic: string }[] {
    return this.#options.topics.map((topic) => ({
      topic: this.#options.registry.physicalTopic(topic),
    }));
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
      'js.consumer.max.batch.size': Math.min(this.#window.capacity, 500),
      'session.timeout.ms': this.#options.sessionTimeoutMs ?? 10_000,
      ...(this.#options.groupInstanceId && { 'group.instance.id': this.#options.groupInstanceId }),
      rebalance_cb: async (event: { code: number }, assignment: TopicPartition[]) => {
        const partitions = assignment.map(({ topic, partition }) => ({ topic, partition }));
        if (event.code === ASSIGN_PARTITIONS) this.#options.onAssign?.(this.#logical(partitions));
        if (event.code === REVOKE_PARTITIONS) await this.#revoke(partitions);
      },
    });
    await this.#consumer.connect();
    this.#producer = await this.#connectProducer();
    await this.#consumer.subscribe({
      topics: topics.map((topic) => registry.physicalTopic(topic)),
    });
    await this.#consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#take(payload),
    });
  }

  /**
   * Stops taking events, lets those in flight finish for up to drainTimeoutMs and commits
   * them, then leaves the group; what has not finished is left to the next owner.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.#window.idle().then(() => true),
      new Promise<false>(
        (resolve) => (timer = setTimeout(() => resolve(false), this.#drainTimeoutMs)),
      ),
    ]);
    clearTimeout(timer);
    if (!drained) {
      this.#logger.warn('in-flight events left to the next owner', {
        in_flight: this.#window.size,
        drain_timeout_ms: this.#drainTimeoutMs,
      });
    }
    await this.#flush(FLUSH_MS);
    await this.#consumer?.disconnect();
    await this.#producer?.disconnect();
    this.#owned.clear();
    this.#consumer = undefined;
    this.#producer = undefined;
  }

  #connectProducer(): Promise<Producer> {
    return connectTransactionalProducer({
      kafka: this.#options.kafka,
      transactionalId: this.#options.registry.physicalId(this.#options.transactionalId),
      transactionTimeoutMs: this.#options.transactionTimeoutMs ?? 10_000,
      maxRecordBytes: this.#codecs.maxRecordBytes,
      logging: this.#refusal.producerLogging(),
    });
  }

  /** Hands each record of the batch to the window; waits while the window is full. */
  async #take(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    const first = messages[0];
    if (!first) return;
    const owned = await this.#own(topic, partition, Number(first.offset));
    const signal = this.#stopping.signal;
    for (const message of messages) {
      if (
        signal.aborted ||
        payload.isStale() ||
        this.#owned.get(partitionKey(topic, partition)) !== owned
      )
        break;
      const offset = Number(message.offset);
      // The head of the partition is still running: wait for it rather than let the metadata grow.
      while (owned.progress.ahead >= this.#maxAhead && !signal.aborted) await sleep(50, signal);
      if (!(await this.#window.admit(signal))) break;
      if (this.#owned.get(partitionKey(topic, partition)) !== owned) {
        this.#window.release();
        break;
      }
      if (this.#paused) {
        // A partition assigned while paused is paused too; what was not taken is fetched again on resume.
        this.#window.release();
        this.#consumer?.pause([{ topic, partitions: [partition] }]);
        break;
      }
      // Taken, even when it is a re-fetch of an offset already running: left unresolved,
      // the consumer would seek back to it and fetch it again and again.
      payload.resolveOffset(message.offset);
      if (!owned.progress.deliver(offset)) {
        this.#window.release();
        continue;
      }
      if (owned.progress.alreadyDone(offset)) {
        this.#window.release();
        this.#options.onSkip?.({ topic: owned.logical, partition, offset });
        continue;
      }
      const key = message.key
        ? `${topic}\u0000${partition}\u0000${message.key.toString('utf8')}`
        : null;
      void this.#sequencer
        .run(key, () => this.#run(owned, message))
        .finally(() => this.#window.release());
    }
  }

  /** The partition's state, read from its committed offset and metadata the first time. */
  async #own(topic: string, partition: number, firstOffset: number): Promise<Owned> {
    const key = partitionKey(topic, partition);
    const known = this.#owned.get(key);
    if (known) return known;
    const [committed] = await (this.#consumer as Consumer).committed([{ topic, partition }]);
    const offset =
      committed && Number(committed.offset) >= 0 ? Number(committed.offset) : firstOffset;
    const owned = {
      topic,
      logical: this.#options.registry.logicalTopic(topic),
      partition,
      progress: new PartitionProgress(offset, committed?.metadata ?? null),
    };
    this.#owned.set(key, owned);
    return owned;
  }

  /** Runs one event to its outputs (retrying, then dead-lettering), and queues them for commit. */
  async #run(owned: Owned, message: KafkaMessage): Promise<void> {
    const { logical: topic, partition } = owned;
    const offset = Number(message.offset);
    let record: InputRecord<K>;
    try {
      record = decodeInput(this.#options.registry, topic as K, partition, message);
    } catch (error) {
      // Undecodable bytes fail the same way every time: dead-letter them at once.
      return this.#complete(
        owned,
        offset,
        [deadLetterRecord(this.#codecs, topic, partition, message, error, 1)],
        true,
      );
    }
    for (let attempt = 1; ; attempt += 1) {
      if (this.#owned.get(partitionKey(owned.topic, partition)) !== owned) return;
      const { outbox, outputs } = collectingOutbox(this.#codecs);
      try {
        await withConsumerSpan(record, this.#options.groupId, () =>
          this.#options.transform(record, outbox),
        );
        return this.#complete(owned, offset, outputs, false);
      } catch (error) {
        if (attempt >= this.#maxAttempts) {
          return this.#complete(
            owned,
            offset,
            [deadLetterRecord(this.#codecs, topic, partition, message, error, attempt)],
            true,
          );
        }
        this.#logger.warn('event failed; will retry', {
          topic,
          partition,
          offset,
          attempt,
          error: (error as Error).message,
        });
        await sleep(Math.min(100 * 2 ** attempt, 2000), this.#stopping.signal);
        // Stopping: leave the event to the next owner rather than retry it now.
        if (this.#stopping.signal.aborted) return;
      }
    }
  }

  #complete(
    owned: Owned,
    offset: number,
    outputs: readonly OutgoingRecord[],
    deadLetter: boolean,
  ): void {
    if (this.#owned.get(partitionKey(owned.topic, owned.partition)) !== owned) return;
    this.#ready.push({ owned, offset, outputs, deadLetter });
    this.#scheduleCommit();
  }

  #scheduleCommit(): void {
    this.#committing ??= (async () => {
      try {
        while (this.#ready.length > 0) await this.#commitReady();
      } finally {
        this.#committing = undefined;
      }
    })();
  }

  /** Commits what is ready now and waits for it, for at most `ms` (commits that keep failing must not hold a rebalance or a shutdown). */
  async #flush(ms: number): Promise<void> {
    this.#scheduleCommit();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#committing,
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  /** One transaction for every event that finished since the last one. */
  async #commitReady(): Promise<void> {
    const batch = this.#ready
      .splice(0)
      .filter(({ owned }) => this.#owned.get(partitionKey(owned.topic, owned.partition)) === owned);
    if (batch.length === 0) return;
    const producer = this.#producer;
    const consumer = this.#consumer;
    if (!producer || !consumer) return;
    const partitions = [...new Set(batch.map(({ owned }) => owned))];
    for (const { owned, offset } of batch) owned.progress.stage(offset);
    const positions = partitions.map((owned) => ({
      topic: owned.topic,
      partition: owned.partition,
      ...owned.progress.position(),
    }));
    const outputs = batch.flatMap((completion) => completion.outputs);
    try {
      await commitTransaction(producer, outputs, () =>
        sendOffsetsWithMetadata(producer, consumer, positions),
      );
    } catch (error) {
      for (const owned of partitions) owned.progress.unstage();
      await this.#recover(error, batch);
      return;
    }
    for (const owned of partitions) owned.progress.commitStaged();
    this.#options.onCommit?.({
      events: batch.length,
      outputs: outputs.length,
      deadLetters: batch.filter((completion) => completion.deadLetter).length,
      partitions: positions.map(({ topic, partition, offset }) => ({
        topic: this.#options.registry.logicalTopic(topic),
        partition,
        nextOffset: offset,
      })),
    });
  }

  /**
   * A failed transaction: abort it, or recreate the producer (which finishes or aborts it).
   * Events the committed offsets show as done are done; the rest are committed again.
   */
  async #recover(error: unknown, batch: Completion[]): Promise<void> {
    const refused = notAuthorized(
      this.#refusal.takeProducerRefusal() ?? error,
      kafkaUser(this.#options.kafka),
      `write ${[...new Set(batch.flatMap((completion) => completion.outputs.map((output) => output.topic)))].join(', ')} or commit offsets of group ${this.#options.registry.physicalId(this.#options.groupId)} in a transaction`,
    );
    if (refused) {
      this.#refusal.report(refused);
      return;
    }
    const recovered = await recoverProducer(this.#producer as Producer, error, () =>
      this.#connectProducer(),
    );
    this.#producer = recovered.producer;
    this.#logger.warn(
      recovered.recreated ? 'transaction failed; recreated the producer' : 'transaction aborted',
      { events: batch.length, error: (error as Error).message },
    );
    let retry = batch;
    if (recovered.recreated) {
      const done = await this.#committedAnyway(batch);
      retry = batch.filter((completion) => !done.has(completion));
      for (const completion of done) completion.owned.progress.stage(completion.offset);
      for (const owned of new Set([...done].map((completion) => completion.owned)))
        owned.progress.commitStaged();
    }
    this.#ready.unshift(...retry);
    await sleep(100);
  }

  /** Which completions the broker's committed offsets and metadata already count as done. */
  async #committedAnyway(batch: Completion[]): Promise<Set<Completion>> {
    const done = new Set<Completion>();
    const owned = [...new Set(batch.map((completion) => completion.owned))];
    try {
      const committed = await (this.#consumer as Consumer).committed(
        owned.map(({ topic, partition }) => ({ topic, partition })),
      );
      for (const position of committed) {
        const offset = Number(position.offset);
        const beyond = decodeDoneBeyond(offset, position.metadata ?? null);
        for (const completion of batch) {
          const { topic, partition } = completion.owned;
          if (topic !== position.topic || partition !== position.partition) continue;
          if (completion.offset < offset || beyond.has(completion.offset)) done.add(completion);
        }
      }
    } catch (error) {
      this.#logger.warn('committed offsets unreadable; committing the events again', {
        error: (error as Error).message,
      });
    }
    return done;
  }

  /** Partitions taken away: commit what has finished, then drop the rest for the next owner. */
  async #revoke(partitions: readonly TopicPartition[]): Promise<void> {
    await this.#flush(FLUSH_MS);
    for (const { topic, partition } of partitions)
      this.#owned.delete(partitionKey(topic, partition));
    this.#ready = this.#ready.filter(
      ({ owned }) => this.#owned.get(partitionKey(owned.topic, owned.partition)) === owned,
    );
    this.#options.onRevoke?.(this.#logical(partitions));
  }

  /** Partitions of the cluster's topics as the catalog names them. */
  #logical(partitions: readonly TopicPartition[]): TopicPartition[] {
    return partitions.map(({ topic, partition }) => ({
      topic: this.#options.registry.logicalTopic(topic),
      partition,
    }));
  }
}
