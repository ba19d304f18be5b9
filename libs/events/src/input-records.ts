import type { Logger } from '@paxfleet/core';
import type { Kafka, KafkaError, KafkaMessage } from '@paxfleet/kafka';
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
import { encodeRecord, type OutgoingRecord, type SendOptions } from './records.ts';
import type { EventRegistry } from './registry.ts';

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

/** The processors' logger when none is given. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * What both exactly-once processors are given. Topics, the group and the transactional id
 * are named as the catalog names them: the processor puts them in the registry's namespace
 * on the cluster, and hands the transform, the callbacks and dead letters the catalog's
 * topic names.
 */
export interface ProcessorOptions<K extends TopicName> {
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
  /** Attempts before a failing record goes to dead-letters (default 3). */
  readonly maxAttempts?: number;
  /** Broker-side timeout of an abandoned transaction, in ms (default 10000). */
  readonly transactionTimeoutMs?: number;
  readonly maxRecordBytes?: number;
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Called when the group gives this instance partitions, before any of their records is processed. */
  readonly onAssign?: (partitions: readonly TopicPartition[]) => void;
  /** Called when partitions are taken away, after what finished of them was committed. */
  readonly onRevoke?: (partitions: readonly TopicPartition[]) => void;
  /**
   * The broker's ACLs refused the group, a topic or the transactional id (KafkaError
   * KAFKA_NOT_AUTHORIZED, naming the user and what it may not do): retrying cannot help, so
   * the processor stops taking events and the service should stop (default: logged).
   */
  readonly onRefused?: (error: KafkaError) => void;
}

/** What a processor needs to decode its input and encode its outputs. */
export interface RecordCodecs {
  readonly registry: EventRegistry;
  /** Agent id: the producer header and the dead letters' failed_by. */
  readonly agent: string;
  readonly maxRecordBytes: number;
  readonly deadLetterTopic?: TopicName;
  readonly clock: () => number;
  readonly logger: Logger;
}

/**
 * Decodes a consumed record of `topic` (the catalog's name); throws EventsError for bytes
 * that are not one of the topic's events.
 */
export function decodeInput<K extends TopicName>(
  registry: EventRegistry,
  topic: K,
  partition: number,
  message: KafkaMessage,
): InputRecord<K> {
  if (!message.value) throw new EventsError('DECODE_NOT_SINGLE_OBJECT', 'record has no value');
  const { value, writerVersion } = registry.codecForTopic(topic).decode(message.value);
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

/** An outbox that encodes each record as it is sent (refusing invalid or oversized ones) into `outputs`. */
export function collectingOutbox(codecs: RecordCodecs): {
  outbox: Outbox;
  outputs: OutgoingRecord[];
} {
  const outputs: OutgoingRecord[] = [];
  return {
    outputs,
    outbox: {
      send: (topic, key, value, context, options) => {
        outputs.push(
          encodeRecord(
            codecs.registry,
            codecs.agent,
            codecs.maxRecordBytes,
            topic,
            key,
            value,
            context,
            options,
          ),
        );
      },
    },
  };
}

/**
 * The dead-letters record for a record of `topic` (the catalog's name, as every topic a
 * record's value names) that could not be handled, logged with why.
 */
export function deadLetterRecord(
  codecs: RecordCodecs,
  topic: string,
  partition: number,
  message: KafkaMessage,
  error: unknown,
  attempts: number,
): OutgoingRecord {
  codecs.logger.error('record dead-lettered', {
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
    codecs.registry,
    codecs.agent,
    codecs.maxRecordBytes,
    codecs.deadLetterTopic ?? DEAD_LETTER_TOPIC,
    topic,
    deadLetterFor({ topic, partition, message }, error, codecs.agent, attempts, codecs.clock()),
    context,
  );
}

export function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new EventsError(
      'PROCESSOR_CONFIG_INVALID',
      `${name} must be a positive number (got ${value})`,
    );
  }
  return value;
}

export function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new EventsError(
      'PROCESSOR_CONFIG_INVALID',
      `${name} must be zero or a positive number (got ${value})`,
    );
  }
  return value;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
