import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import kafkaJavascript from '@confluentinc/kafka-javascript';
import type {
  EofEvent,
  KafkaConsumer,
  LibrdKafkaError,
  Message,
  Metadata,
  TopicPartitionOffset,
  WatermarkOffsets,
} from '@confluentinc/kafka-javascript';
import { connectionUser, notAuthorized } from './authorization.ts';
import { librdkafkaProperties, type KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';
import { unjoinedGroup } from './unjoined-group.ts';

const { KafkaConsumer: LibrdkafkaConsumer, CODES } = kafkaJavascript;

/** One record read from a partition. */
export interface PartitionRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch; -1 if the record has none. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** A header name that occurs more than once keeps its last value. */
  readonly headers: Readonly<Record<string, Buffer>>;
}

/**
 * Where reading starts: the first retained record, the current end, an offset, or the first
 * record written at or after a time (ms since the epoch; the end if there is none). A time start
 * stays on the log when retention moves its start: what it found and retention then deleted is
 * simply no longer there, where an offset start outside the log is an error.
 */
export type StartPosition = 'beginning' | 'end' | number | { readonly atOrAfter: number };

/** A partition to read and where to start (default 'beginning'). */
export interface PartitionStart {
  topic: string;
  partition: number;
  from?: StartPosition;
}

export interface PartitionReaderOptions {
  /** read_committed (default) skips aborted transactions and ends at the last stable offset. */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
  /** client.id of this reader's consumer; default the connection's. */
  readonly clientId?: string;
  /** The Kafka namespace its consumer's group id (never joined) is named in; the topics are the caller's. */
  readonly namespace?: string;
  /** Errors no promise carries: read errors while following, connection trouble. Must not throw. */
  readonly onError?: (error: KafkaError) => void;
}

const BATCH_SIZE = 500;
/** How long one consume call waits for a first record; close() waits at most this long for it. */
const CONSUME_WAIT_MS = 100;
/** How long the broker holds an empty fetch: bounds how late an end of partition is noticed. */
const FETCH_WAIT_MAX_MS = 100;
const REQUEST_TIMEOUT_MS = 10_000;
const ERROR_BACKOFF_MS = 200;

/** What the consume loop feeds: a read to the end, or a follow. */
interface ReadSession {
  readonly stopped: boolean;
  record(message: Message): void;
  endOfPartition(event: EofEvent): void;
  consumeFailed(error: LibrdKafkaError): void;
  /** Returns whether the session took the error (a readToEnd fails on fatal errors). */
  clientFailed(error: LibrdKafkaError): boolean;
  stop(reason?: KafkaError): void;
}

interface ResolvedStart {
  readonly topic: string;
  readonly partition: number;
  /**
   * A concrete offset. The beginning is the log start just queried, not librdkafka's logical
   * BEGINNING: a consumer that read the partition before resolves that from the log start it
   * cached then, which retention may since have deleted.
   */
  readonly offset: number;
  readonly low: number;
  readonly high: number;
}

/** The private setter of the addon's JS layer that the client's own KafkaJS layer uses too. */
interface FirstMessageTimeout {
  setDefaultIsTimeoutOnlyForFirstMessage?: (enabled: boolean) => void;
}

/**
 * Reads explicit partitions with one librdkafka consumer: no consumer group
 * membership, no offset commits, positions chosen by the caller.
 * One reader runs one readToEnd or one follow at a time; a follow lasts until
 * close(). Use one reader per concurrent read.
 */
export class PartitionReader {
  readonly #consumer: KafkaConsumer;
  readonly #onError: ((error: KafkaError) => void) | undefined;
  readonly #user: string;
  readonly #groupId: string;
  #connecting: Promise<void> | undefined;
  #connected = false;
  #closing: Promise<void> | undefined;
  #busy: 'readToEnd' | 'follow' | undefined;
  #session: ReadSession | undefined;
  #loop: Promise<void> | undefined;

  constructor(connection: KafkaConnection, options: PartitionReaderOptions = {}) {
    this.#onError = options.onError;
    this.#user = connectionUser(connection);
    // Never joined or committed to (see unjoinedGroup).
    this.#groupId = unjoinedGroup(options.namespace, `reader-${randomUUID()}`);
    this.#consumer = new LibrdkafkaConsumer(
      {
        ...librdkafkaProperties(connection),
        ...(options.clientId !== undefined && { 'client.id': options.clientId }),
        'group.id': this.#groupId,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'enable.partition.eof': true,
        'isolation.level': options.isolation ?? 'read_committed',
        'fetch.wait.max.ms': FETCH_WAIT_MAX_MS,
      },
      // A start outside the log is an error, never a silent jump to the other end of it.
      { 'auto.offset.reset': 'error' },
    );
    this.#consumer.on('data', (message) => this.#session?.record(message));
    this.#consumer.on('partition.eof', (event) => this.#session?.endOfPartition(event));
    this.#consumer.on('event.error', (error) => this.#clientFailed(error));
  }

  /** Connects to the cluster; the other methods need it. */
  async connect(): Promise<void> {
    if (this.#closing) throw closedError();
    this.#connecting ??= this.#open();
    try {
      await this.#connecting;
    } catch (error) {
      this.#connecting = undefined;
      throw error;
    }
  }

  /** Number of partitions of a topic (metadata). Throws KafkaError KAFKA_TOPIC_UNKNOWN if absent. */
  async partitionCount(topic: string): Promise<number> {
    this.#requireConnected();
    let metadata: Metadata;
    try {
      metadata = await callback<Metadata>((done) => {
        this.#consumer.getMetadata({ topic, allTopics: false, timeout: REQUEST_TIMEOUT_MS }, done);
      });
    } catch (cause) {
      if (isUnknownTopic(cause)) throw unknownTopic(topic, this.#user, cause);
      throw readFailed(`could not read the metadata of ${topic}`, cause, { topic });
    }
    const partitions = metadata.topics.find((found) => found.name === topic)?.partitions ?? [];
    if (partitions.length === 0) throw unknownTopic(topic, this.#user);
    return partitions.length;
  }

  /** Low and high watermark per partition of the topic; under read_committed high is the last stable offset. */
  async watermarks(topic: string): Promise<Map<number, { low: number; high: number }>> {
    const count = await this.partitionCount(topic);
    const marks = await Promise.all(
      Array.from({ length: count }, (_, partition) => this.#watermark(topic, partition)),
    );
    return new Map(marks.map((mark, partition) => [partition, mark]));
  }

  /**
   * Reads the given partitions from `from` to their current end — for read_committed the last
   * stable offset, i.e. stop at partition EOF — delivering every record in offset order per
   * partition, and resolves when all partitions reached their end. Control records take offsets:
   * a partition whose high watermark is 5 may deliver only 4 records. A numeric `from` must lie
   * within the partition's watermarks. Rejects with KAFKA_READ_FAILED on read errors, a fatal
   * client error or all brokers down, with KAFKA_TOPIC_UNKNOWN for a missing topic, or with what
   * onRecord threw.
   */
  async readToEnd(
    partitions: readonly PartitionStart[],
    onRecord: (record: PartitionRecord) => void,
  ): Promise<void> {
    this.#claim('readToEnd');
    try {
      const starts = await this.#resolveStarts(partitions);
      // A partition already at its end needs no fetch (its EOF would come one fetch wait later).
      const unread = starts.filter((start) => start.offset < start.high);
      if (unread.length > 0) await this.#readUntilEnd(unread, onRecord);
    } finally {
      this.#busy = undefined;
    }
  }

  /**
   * Follows the partitions until close(): resolves once every partition's start position is
   * fixed ('end' becomes the current end offset before this resolves, so any record produced
   * after it resolves is delivered). Records are delivered in order per partition; errors, also
   * those thrown by onRecord, go to options.onError.
   */
  async follow(
    partitions: readonly PartitionStart[],
    onRecord: (record: PartitionRecord) => void,
  ): Promise<void> {
    this.#claim('follow');
    let started = false;
    try {
      const starts = await this.#resolveStarts(partitions);
      let stopped = false;
      const session: ReadSession = {
        get stopped() {
          return stopped;
        },
        record: (message) => {
          if (stopped) return;
          try {
            onRecord(toRecord(message));
          } catch (cause) {
            this.#report(
              readFailed('onRecord threw; following goes on with the next record', cause, {
                topic: message.topic,
                partition: message.partition,
                offset: message.offset,
              }),
            );
          }
        },
        endOfPartition: () => {},
        consumeFailed: (error) => this.#report(this.#readFailed(starts, error)),
        clientFailed: () => false,
        stop: () => {
          stopped = true;
        },
      };
      this.#start(starts, session);
      started = true;
    } finally {
      if (!started) this.#busy = undefined;
    }
  }

  /** Stops any read (a running readToEnd rejects) and disconnects. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #open(): Promise<void> {
    try {
      await callback<Metadata>((done) =>
        this.#consumer.connect({ allTopics: false, timeout: REQUEST_TIMEOUT_MS }, done),
      );
    } catch (cause) {
      throw new KafkaError('KAFKA_CONNECT_FAILED', `could not connect: ${messageOf(cause)}`, {
        cause,
      });
    }
    this.#consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
    // Otherwise a batch waits CONSUME_WAIT_MS for each record: a trickle is held until 500 arrive.
    (this.#consumer as FirstMessageTimeout).setDefaultIsTimeoutOnlyForFirstMessage?.(true);
    this.#connected = true;
  }

  async #shutdown(): Promise<void> {
    this.#session?.stop(closedError('the reader was closed while reading'));
    await this.#loop;
    if (!this.#connecting) return;
    try {
      await this.#connecting;
    } catch {
      return;
    }
    this.#connected = false;
    await new Promise<void>((resolve) => this.#consumer.disconnect(() => resolve()));
  }

  #requireConnected(): void {
    if (this.#closing) throw closedError();
    if (!this.#connected) throw closedError('call connect() first');
  }

  #claim(operation: 'readToEnd' | 'follow'): void {
    this.#requireConnected();
    if (this.#busy) {
      throw new KafkaError(
        'KAFKA_READER_BUSY',
        `${operation} while a ${this.#busy} runs: a PartitionReader reads one set of partitions at a time`,
        { details: { operation, running: this.#busy } },
      );
    }
    this.#busy = operation;
  }

  async #watermark(topic: string, partition: number): Promise<{ low: number; high: number }> {
    // A partition just created, or whose leader just moved, has no leader for a moment.
    const deadline = Date.now() + REQUEST_TIMEOUT_MS;
    for (;;) {
      try {
        const offsets = await callback<WatermarkOffsets>((done) => {
          this.#consumer.queryWatermarkOffsets(topic, partition, REQUEST_TIMEOUT_MS, done);
        });
        return { low: offsets.lowOffset, high: offsets.highOffset };
      } catch (cause) {
        if (leaderless(cause) && Date.now() < deadline) {
          await delay(ERROR_BACKOFF_MS);
          continue;
        }
        throw readFailed(`could not read the watermarks of ${topic}/${partition}`, cause, {
          topic,
          partition,
        });
      }
    }
  }

  /** The first offset written at or after `timestamp`; -1 if there is none. */
  async #offsetAt(topic: string, partition: number, timestamp: number): Promise<number> {
    try {
      const [found] = await callback<TopicPartitionOffset[]>((done) => {
        this.#consumer.offsetsForTimes(
          [{ topic, partition, offset: timestamp }],
          REQUEST_TIMEOUT_MS,
          done,
        );
      });
      return found?.offset ?? -1;
    } catch (cause) {
      throw readFailed(
        `could not look up the offset of time ${timestamp} in ${topic}/${partition}`,
        cause,
        {
          topic,
          partition,
          timestamp,
        },
      );
    }
  }

  async #resolveStarts(partitions: readonly PartitionStart[]): Promise<ResolvedStart[]> {
    const seen = new Set<string>();
    for (const { topic, partition, from } of partitions) {
      const details = { topic, partition, from };
      if (!Number.isSafeInteger(partition) || partition < 0)
        throw readFailed(`invalid partition ${partition} of ${topic}`, undefined, details);
      if (typeof from === 'number' && (!Number.isSafeInteger(from) || from < 0))
        throw readFailed(
          `invalid start offset ${from} for ${topic}/${partition}`,
          undefined,
          details,
        );
      if (typeof from === 'object' && (!Number.isSafeInteger(from.atOrAfter) || from.atOrAfter < 0))
        throw readFailed(
          `invalid start time ${from.atOrAfter} for ${topic}/${partition}`,
          undefined,
          details,
        );
      if (seen.has(partitionKey(topic, partition)))
        throw readFailed(`${topic}/${partition} is listed twice`, undefined, details);
      seen.add(partitionKey(topic, partition));
    }
    const topics = [...new Set(partitions.map(({ topic }) => topic))];
    const counts = new Map(
      await Promise.all(
        topics.map(async (topic) => [topic, await this.partitionCount(topic)] as const),
      ),
    );
    return Promise.all(
      partitions.map(async ({ topic, partition, from = 'beginning' }) => {
        const count = counts.get(topic) ?? 0;
        if (partition >= count) {
          throw readFailed(`${topic} has no partition ${partition} (it has ${count})`, undefined, {
            topic,
            partition,
          });
        }
        const { low, high } = await this.#watermark(topic, partition);
        if (from === 'beginning') return { topic, partition, offset: low, low, high };
        if (from === 'end') return { topic, partition, offset: high, low, high };
        if (typeof from === 'object') {
          const found = await this.#offsetAt(topic, partition, from.atOrAfter);
          if (found < 0 || found >= high) return { topic, partition, offset: high, low, high };
          // Retention may have deleted what the lookup found: then from the log start.
          return { topic, partition, offset: Math.max(found, low), low, high };
        }
        if (from < low || from > high) {
          throw readFailed(
            `start offset ${from} of ${topic}/${partition} is outside its log [${low}, ${high}]`,
            undefined,
            { topic, partition, from, low, high },
          );
        }
        return { topic, partition, offset: from, low, high };
      }),
    );
  }

  async #readUntilEnd(
    starts: readonly ResolvedStart[],
    onRecord: (record: PartitionRecord) => void,
  ): Promise<void> {
    const reading = new Set(starts.map(({ topic, partition }) => partitionKey(topic, partition)));
    const ended = Promise.withResolvers<void>();
    let stopped = false;
    const finish = (error?: unknown): void => {
      if (stopped) return;
      stopped = true;
      if (error === undefined) ended.resolve();
      else ended.reject(error);
    };
    const session: ReadSession = {
      get stopped() {
        return stopped;
      },
      record: (message) => {
        // Records of a partition past its end belong to no read: the end was reported already.
        if (stopped || !reading.has(partitionKey(message.topic, message.partition))) return;
        try {
          onRecord(toRecord(message));
        } catch (error) {
          finish(error);
        }
      },
      endOfPartition: (event) => {
        reading.delete(partitionKey(event.topic, event.partition));
        if (reading.size === 0) finish();
      },
      consumeFailed: (error) => finish(this.#readFailed(starts, error)),
      clientFailed: (error) => {
        if (!error.isFatal && error.code !== CODES.ERRORS.ERR__ALL_BROKERS_DOWN) return false;
        finish(readFailed('the client failed', error));
        return true;
      },
      stop: (reason) => finish(reason ?? closedError()),
    };
    this.#start(starts, session);
    try {
      await ended.promise;
    } finally {
      session.stop();
      await this.#loop;
      this.#session = undefined;
      this.#loop = undefined;
      if (!this.#closing) this.#consumer.unassign();
    }
  }

  /** A failed fetch: KAFKA_NOT_AUTHORIZED naming the user and what it may not read, or KAFKA_READ_FAILED. */
  #readFailed(starts: readonly ResolvedStart[], error: LibrdKafkaError): KafkaError {
    const topics = [...new Set(starts.map(({ topic }) => topic))].join(', ');
    return (
      notAuthorized(
        error,
        this.#user,
        /group/i.test(error.message)
          ? `describe the reader's consumer group ${this.#groupId} (never joined, but its coordinator is looked up)`
          : `read ${topics}`,
      ) ?? readFailed('reading failed', error)
    );
  }

  #start(starts: readonly ResolvedStart[], session: ReadSession): void {
    if (this.#closing) throw closedError();
    try {
      this.#consumer.assign(
        starts.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      );
    } catch (cause) {
      throw readFailed('could not assign the partitions', cause);
    }
    this.#session = session;
    this.#loop = this.#consumeWhileRunning(session);
  }

  async #consumeWhileRunning(session: ReadSession): Promise<void> {
    while (!session.stopped) {
      // Records and ends of partitions reach the session through the consumer's events.
      const error = await new Promise<LibrdKafkaError | null>((resolve) => {
        try {
          this.#consumer.consume(BATCH_SIZE, (failure: LibrdKafkaError | null) => resolve(failure));
        } catch (failure) {
          resolve(failure as LibrdKafkaError);
        }
      });
      if (error === null || session.stopped) continue;
      session.consumeFailed(error);
      // A follow goes on; do not spin on an error that repeats.
      if (!session.stopped) await delay(ERROR_BACKOFF_MS);
    }
  }

  #clientFailed(error: LibrdKafkaError): void {
    if (this.#session?.clientFailed(error)) return;
    this.#report(readFailed('client error', error));
  }

  #report(error: KafkaError): void {
    this.#onError?.(error);
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

function toRecord(message: Message): PartitionRecord {
  const headers = (message.headers ?? []).flatMap((header) =>
    Object.entries(header).map(([name, value]) => [name, asBuffer(value)] as const),
  );
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp ?? -1,
    key: message.key === null || message.key === undefined ? null : asBuffer(message.key),
    value: message.value ?? null,
    // fromEntries defines own properties, so a header named __proto__ stays a header.
    headers: Object.fromEntries(headers),
  };
}

function asBuffer(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** Adapts a librdkafka callback (error first) to a promise. */
function callback<T>(
  start: (done: (error: LibrdKafkaError | Error | null | undefined, value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((error, value) => {
      // The addon's errors are Error instances even where its types say otherwise.
      if (error)
        reject(error instanceof Error ? error : new Error(error.message, { cause: error }));
      else resolve(value);
    });
  });
}

function messageOf(cause: unknown): string {
  return typeof cause === 'object' && cause !== null && 'message' in cause
    ? String(cause.message)
    : String(cause);
}

function librdkafkaCode(cause: unknown): number | undefined {
  return typeof cause === 'object' &&
    cause !== null &&
    'code' in cause &&
    typeof cause.code === 'number'
    ? cause.code
    : undefined;
}

/** Whether a client error (the reader's, the admin's) says the topic or partition does not exist. */
export function isUnknownTopic(cause: unknown): boolean {
  const code = librdkafkaCode(cause);
  return (
    code === CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART || code === CODES.ERRORS.ERR__UNKNOWN_TOPIC
  );
}

function readFailed(
  message: string,
  cause: unknown,
  details: Record<string, unknown> = {},
): KafkaError {
  const code = librdkafkaCode(cause);
  return new KafkaError(
    'KAFKA_READ_FAILED',
    cause === undefined ? message : `${message}: ${messageOf(cause)}`,
    { cause, details: { ...details, ...(code !== undefined && { librdkafkaCode: code }) } },
  );
}

/**
 * A topic the metadata does not list. Kafka lists no topic the user may not describe, and
 * librdkafka's metadata keeps no per-topic error, so an authenticated user's message says both.
 */
function unknownTopic(topic: string, user: string, cause?: unknown): KafkaError {
  const hidden = user === 'User:ANONYMOUS' ? '' : `, or ${user} may not describe it`;
  return new KafkaError('KAFKA_TOPIC_UNKNOWN', `topic ${topic} does not exist${hidden}`, {
    cause,
    details: { topic, user },
  });
}

function closedError(message = 'the reader is closed'): KafkaError {
  return new KafkaError('KAFKA_READER_NOT_CONNECTED', message);
}

/** An error that says the partition has no leader yet, or the broker asked is no longer it. */
function leaderless(error: unknown): boolean {
  const code =
    (error as { code?: number; cause?: { code?: number } }).cause?.code ??
    (error as { code?: number }).code;
  return (
    code === CODES.ERRORS.ERR_NOT_LEADER_FOR_PARTITION ||
    code === CODES.ERRORS.ERR_LEADER_NOT_AVAILABLE
  );
}
