import { Counter, type Registry } from 'prom-client';
import {
  archiveObjectKey,
  encodeArchiveObject,
  parseArchiveObjectKey,
  partitionPrefix,
  workflowIndexEntries,
  type ArchivedRecord,
} from '@paxfleet/archive';
import type { Logger } from '@paxfleet/core';
import { Refusal, type BlobStore, type EventRegistry } from '@paxfleet/events';
import {
  ASSIGN_PARTITIONS,
  REVOKE_PARTITIONS,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaError,
  type KafkaMessage,
} from '@paxfleet/kafka';
import { PartitionBuffer } from './partition-buffer.ts';

export interface ArchiverOptions {
  readonly kafka: Kafka;
  /**
   * Its Kafka namespace: `groupId` and `topics` are the catalog's names, read in the
   * registry's namespace. The archive keeps the cluster's names (the broker's coordinates,
   * `archive/<namespace>.<topic>/...`), so a namespace's archive never mixes with the live one.
   */
  readonly registry: EventRegistry;
  readonly store: BlobStore;
  readonly groupId: string;
  /** The topics with an archive tier. */
  readonly topics: readonly string[];
  /** Most records in one archive object. */
  readonly maxRecords: number;
  /** Longest a record waits before its object is written, in ms. */
  readonly flushMs: number;
  readonly metrics: Registry;
  readonly logger: Logger;
  /** The broker's ACLs refused its group or a topic: it stops taking records; the service should stop. */
  readonly onRefused?: (error: KafkaError) => void;
}

type TopicPartition = { topic: string; partition: number };
const partitionId = ({ topic, partition }: TopicPartition) => `${topic}[${partition}]`;

/** The last offset the archive's objects hold for a partition, -1 when there are none. */
export async function archivedEnd(
  store: BlobStore,
  topic: string,
  partition: number,
): Promise<number> {
  let end = -1;
  for await (const blob of store.list(partitionPrefix(topic, partition))) {
    const range = parseArchiveObjectKey(blob.key);
    if (range && range.lastOffset > end) end = range.lastOffset;
  }
  return end;
}

/** A record as the broker held it: headers in the order the client gives them. */
function archivedRecord(topic: string, partition: number, message: KafkaMessage): ArchivedRecord {
  const headers: { key: string; value: Buffer | null }[] = [];
  for (const [key, raw] of Object.entries(message.headers ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      headers.push({
        key,
        value: value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(value),
      });
    }
  }
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
  };
}

/**
 * Writes every committed record of its topics to the object store as archive objects,
 * exactly once: an object is named by its partition and offset range and written before
 * the group's offset is committed, and each partition resumes after the last offset its
 * objects hold (not after the committed offset), so a crash between the write and the
 * commit, or a rebalance, neither loses a record nor archives one twice. A partition is
 * written out when it is revoked, before another member gets it.
 */
export class Archiver {
  readonly #options: ArchiverOptions;
  readonly #buffers = new Map<
    string,
    { partition: TopicPartition; buffer: Promise<PartitionBuffer> }
  >();
  readonly #writing = new Map<string, Promise<void>>();
  readonly #records: Counter;
  readonly #objects: Counter;
  #consumer: Consumer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #joined = false;

  constructor(options: ArchiverOptions) {
    this.#options = options;
    this.#records = new Counter({
      name: 'paxfleet_archive_records_total',
      help: 'Records written to the archive',
      labelNames: ['topic'],
      registers: [options.metrics],
    });
    this.#objects = new Counter({
      name: 'paxfleet_archive_objects_total',
      help: 'Archive objects written',
      labelNames: ['topic'],
      registers: [options.metrics],
    });
  }

  /** Whether the consumer has joined its group (readiness). */
  get joined(): boolean {
    return this.#joined;
  }

  async start(): Promise<void> {
    const { registry, kafka } = this.#options;
    const group = registry.physicalId(this.#options.groupId);
    const refusal = new Refusal(this.#options.logger, this.#options.onRefused, () =>
      this.#consumer?.pause(
        this.#options.topics.map((topic) => ({ topic: registry.physicalTopic(topic) })),
      ),
    );
    const consumer = kafka.consumer({
      ...refusal.consumerLogger(
        kafka,
        `join consumer group ${group} to read ${this.#options.topics.map((topic) => registry.physicalTopic(topic)).join(', ')}`,
      ),
      'group.id': group,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
      'js.consumer.max.batch.size': 500,
      // A killed archiver's partitions wait this long for another member.
      'session.timeout.ms': 10_000,
      rebalance_cb: async (event: { code: number }, assignment: TopicPartition[]) => {
        if (event.code === ASSIGN_PARTITIONS) this.#joined = true;
        if (event.code === REVOKE_PARTITIONS) await this.#release(assignment);
      },
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: this.#options.topics.map((topic) => registry.physicalTopic(topic)),
    });
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.#take(payload),
    });
    this.#timer = setInterval(() => void this.#writeDue(), Math.max(50, this.#options.flushMs / 4));
  }

  /** Writes what is buffered, commits, and leaves the group. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    const consumer = this.#consumer;
    if (!consumer) return;
    await this.#release([...this.#buffers.values()].map(({ partition }) => partition));
    await consumer.disconnect();
    this.#consumer = undefined;
  }

  /** The partition's buffer; the first time, where the archive ends for it. */
  #buffer(topic: string, partition: number): Promise<PartitionBuffer> {
    const id = partitionId({ topic, partition });
    const known = this.#buffers.get(id);
    if (known) return known.buffer;
    const buffer = archivedEnd(this.#options.store, topic, partition).then(
      (end) => new PartitionBuffer(topic, partition, end),
      (error: unknown) => {
        // The store did not answer: the next batch asks again.
        this.#buffers.delete(id);
        throw error;
      },
    );
    this.#buffers.set(id, { partition: { topic, partition }, buffer });
    return buffer;
  }

  async #take(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    const first = messages[0];
    if (!first) return;
    const buffer = await this.#buffer(topic, partition);
    if (!buffer.resumed) {
      // The first batch since this member got the partition. The group's committed offset
      // may be ahead of what this archive holds (another store, an object lost): read again
      // from where the archive ends. Once only: offsets have gaps (transaction markers,
      // aborted records), so a later batch starting past nextOffset is no sign of a loss.
      buffer.resumed = true;
      if (Number(first.offset) > buffer.nextOffset) {
        this.#options.logger.info('archive behind the committed offset; reading from its end', {
          topic,
          partition,
          committed: first.offset,
          from: buffer.nextOffset,
        });
        this.#consumer?.seek({ topic, partition, offset: String(buffer.nextOffset) });
        return;
      }
    }
    const now = Date.now();
    for (const message of messages) {
      if (payload.isStale()) break;
      buffer.add(archivedRecord(topic, partition, message), now);
      payload.resolveOffset(message.offset);
      if (buffer.due(now, this.#options.maxRecords, this.#options.flushMs))
        await this.#write(buffer);
    }
  }

  /** Writes every buffer whose oldest record has waited flushMs. */
  async #writeDue(): Promise<void> {
    const now = Date.now();
    for (const { buffer: pending } of this.#buffers.values()) {
      const buffer = await pending;
      if (buffer.due(now, this.#options.maxRecords, this.#options.flushMs)) {
        await this.#write(buffer).catch((error: unknown) =>
          this.#options.logger.warn('archive write failed; will try again', {
            partition: partitionId(buffer),
            error: (error as Error).message,
          }),
        );
      }
    }
  }

  /** One object of what the partition has buffered, then the group's offset after it; one at a time per partition. */
  #write(buffer: PartitionBuffer): Promise<void> {
    const id = partitionId(buffer);
    const previous = this.#writing.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const records = buffer.pending().slice(0, this.#options.maxRecords);
        const last = records.at(-1);
        if (!last) return;
        const [firstRecord] = records as [ArchivedRecord];
        const range = {
          topic: buffer.topic,
          partition: buffer.partition,
          firstOffset: firstRecord.offset,
          lastOffset: last.offset,
        };
        // The index first: a crash leaves at worst an entry for an object not yet written.
        for (const entry of workflowIndexEntries(range, records))
          await this.#options.store.put(entry.key, entry.body);
        await this.#options.store.put(archiveObjectKey(range), await encodeArchiveObject(records));
        buffer.archived(records.length);
        this.#records.inc({ topic: buffer.topic }, records.length);
        this.#objects.inc({ topic: buffer.topic });
        await this.#consumer
          ?.commitOffsets([
            { topic: buffer.topic, partition: buffer.partition, offset: String(last.offset + 1) },
          ])
          .catch((error: unknown) =>
            // Not a loss: the archive, not the committed offset, says where to resume.
            this.#options.logger.warn('offset commit after an archive write failed', {
              partition: id,
              error: (error as Error).message,
            }),
          );
      });
    this.#writing.set(id, next);
    return next;
  }

  /** Writes out and forgets the partitions (revoked, or the archiver stopping). */
  async #release(partitions: readonly TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const id = partitionId(tp);
      const known = this.#buffers.get(id);
      if (!known) continue;
      const buffer = await known.buffer;
      while (buffer.size > 0) await this.#write(buffer);
      this.#buffers.delete(id);
      this.#writing.delete(id);
    }
  }
}
