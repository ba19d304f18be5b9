import {
  createKafka,
  IsolationLevel,
  unjoinedGroup,
  type Admin,
  type Consumer,
  type KafkaConnection,
  type KafkaError,
} from '@paxfleet/kafka';
import { LagError } from './errors.ts';
import { FirstRecordReader } from './first-record.ts';
import type { OldestRecord } from './lag.ts';

/** Offsets of one partition: the low watermark and the last stable offset. */
export interface PartitionEnds {
  readonly low: number;
  readonly lastStable: number;
}

/** What the monitor asks the cluster; a fake stands in for it in unit tests. */
export interface LagSource {
  /** Every consumer group of the cluster. */
  listGroups(): Promise<string[]>;
  /** The group's committed offsets: topic -> partition -> offset (only partitions it committed on). */
  committedOffsets(groupId: string): Promise<Map<string, Map<number, number>>>;
  /** Every partition of the topic. Rejects if the topic does not exist. */
  topicOffsets(topic: string): Promise<Map<number, PartitionEnds>>;
  /** The first committed record at or after `from`, null if none before the partition's end. */
  firstRecord(topic: string, partition: number, from: number): Promise<OldestRecord | null>;
  close(): Promise<void>;
}

export interface KafkaLagSourceOptions {
  /** Parallel first-record reads (one librdkafka consumer each); default 2. */
  readonly readers?: number;
  /** Admin request timeout in ms; default 5000. */
  readonly requestTimeoutMs?: number;
  readonly onError?: (error: KafkaError) => void;
  /** The Kafka namespace its own (never joined) group ids are named in. */
  readonly namespace?: string;
}

/**
 * The cluster through one admin client (groups, committed and last stable offsets) and a
 * FirstRecordReader (record timestamps).
 *
 * The admin rides on a consumer that never subscribes (an unjoined group, `paxfleet-unjoined-lag-<clientId>`, so it
 * joins nothing): a standalone librdkafka admin client segfaults the process when the
 * broker answers a ListConsumerGroupOffsets with a coordinator error (NOT_COORDINATOR
 * and the like, e.g. for a group the cluster has not seen yet, or while a broker
 * restarts), because its OffsetFetch handler re-queries the coordinator through the
 * client's consumer group, which an admin client does not have (rd_kafka_cgrp_op on a
 * NULL rk_cgrp; https://github.com/confluentinc/confluent-kafka-javascript/issues/374).
 * A consumer's handle has one, so the re-query is a harmless lookup for its own group.
 */
export class KafkaLagSource implements LagSource {
  readonly #anchor: Consumer;
  readonly #admin: Admin;
  readonly #reader: FirstRecordReader;
  readonly #timeout: number;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(connection: KafkaConnection, options: KafkaLagSourceOptions = {}) {
    this.#anchor = createKafka(connection).consumer({
      'group.id': unjoinedGroup(options.namespace, `lag-${connection.clientId}`),
      'client.id': `${connection.clientId}-lag`,
      'enable.auto.commit': false,
    });
    this.#admin = this.#anchor.dependentAdmin();
    this.#reader = new FirstRecordReader(connection, {
      ...(options.readers !== undefined && { concurrency: options.readers }),
      clientId: `${connection.clientId}-lag`,
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.onError && { onError: options.onError }),
    });
    this.#timeout = options.requestTimeoutMs ?? 5000;
  }

  async listGroups(): Promise<string[]> {
    const admin = await this.#connected();
    const { groups } = await admin.listGroups({ timeout: this.#timeout });
    return groups.map((group) => group.groupId);
  }

  async committedOffsets(groupId: string): Promise<Map<string, Map<number, number>>> {
    const admin = await this.#connected();
    const topics = await admin.fetchOffsets({ groupId, timeout: this.#timeout });
    const committed = new Map<string, Map<number, number>>();
    for (const { topic, partitions } of topics) {
      const offsets = new Map<number, number>();
      for (const entry of partitions) {
        const offset = Number(entry.offset);
        if (Number.isSafeInteger(offset) && offset >= 0) offsets.set(entry.partition, offset);
      }
      if (offsets.size > 0) committed.set(topic, offsets);
    }
    return committed;
  }

  async topicOffsets(topic: string): Promise<Map<number, PartitionEnds>> {
    const admin = await this.#connected();
    const offsets = await admin.fetchTopicOffsets(topic, {
      timeout: this.#timeout,
      isolationLevel: IsolationLevel.READ_COMMITTED,
    });
    return new Map(
      offsets.map(
        (entry) =>
          [entry.partition, { low: Number(entry.low), lastStable: Number(entry.high) }] as const,
      ),
    );
  }

  firstRecord(topic: string, partition: number, from: number): Promise<OldestRecord | null> {
    return this.#reader.first(topic, partition, from);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connecting = this.#connecting;
    this.#connecting = undefined;
    await Promise.all([
      this.#reader.close(),
      connecting?.then(
        async () => {
          await this.#admin.disconnect();
          await this.#anchor.disconnect();
        },
        () => undefined,
      ),
    ]);
  }

  async #connected(): Promise<Admin> {
    if (this.#closed) throw closedError();
    this.#connecting ??= this.#anchor.connect().then(() => this.#admin.connect());
    try {
      await this.#connecting;
    } catch (error) {
      this.#connecting = undefined;
      throw error;
    }
    return this.#admin;
  }
}

function closedError(): LagError {
  return new LagError('LAG_REFRESH_FAILED', 'the lag source is closed');
}
