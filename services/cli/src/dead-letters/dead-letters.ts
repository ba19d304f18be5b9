import { HEADER, type EventRegistry, type TopicName } from '@paxfleet/events';
import type { KafkaConnection } from '@paxfleet/kafka';
import { parseDeadLetterId } from './dead-letter-id.ts';
import { CliError } from '../errors.ts';
import {
  readDeadLetters,
  readDeadLettersAt,
  readRedrives,
  type Redrive,
  type StoredDeadLetter,
  type UndecodableDeadLetter,
} from './read.ts';
import { showBytes, type ShownBytes } from './shown-bytes.ts';

/** One dead letter in a list: where it is, where its record came from, why it failed. */
export interface DeadLetterRow {
  /** `<partition>:<offset>` on dead-letters: what show and redrive take. */
  readonly id: string;
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** The agent that gave up on the record. */
  readonly failedBy: string;
  readonly attempts: number;
  /** ms since the epoch. */
  readonly failedAt: number;
  /** The workflow-id header the record carried, if it had one. */
  readonly workflowId: string | undefined;
  /** Set once the letter was re-published to its source topic. */
  readonly redrive: Redrive | undefined;
}

export interface DeadLetterFilter {
  /** Only letters that failed at or after this time (ms since the epoch). */
  readonly since?: number;
  /** The catalog's name of the topic the records came from. */
  readonly sourceTopic?: string;
  readonly errorCode?: string;
  /** At most this many: the newest. */
  readonly limit?: number;
}

export interface DeadLetterList {
  /** Oldest failure first. */
  readonly rows: DeadLetterRow[];
  /** Records of dead-letters that are not dead letters this build can read. */
  readonly undecodable: UndecodableDeadLetter[];
}

/** A dead letter's value, decoded by its source topic's schema, or why it does not decode. */
export type DecodedSourceValue =
  | { readonly decoded: true; readonly writerVersion: number; readonly value: unknown }
  | { readonly decoded: false; readonly error: string };

/** The whole of one dead letter: the record as it was, its bytes, and its value decoded. */
export interface DeadLetterDetail extends DeadLetterRow {
  /** When the record was first written to its source topic (ms since the epoch). */
  readonly sourceTimestamp: number;
  readonly headers: Readonly<Record<string, ShownBytes>>;
  readonly key: ShownBytes | null;
  readonly value: ShownBytes | null;
  readonly decodedValue: DecodedSourceValue;
}

function rowOf(stored: StoredDeadLetter, redrive: Redrive | undefined): DeadLetterRow {
  const { letter } = stored;
  return {
    id: stored.id,
    sourceTopic: letter.source_topic,
    sourcePartition: letter.source_partition,
    sourceOffset: letter.source_offset,
    errorCode: letter.error_code,
    errorMessage: letter.error_message,
    failedBy: letter.failed_by,
    attempts: letter.attempts,
    failedAt: letter.failed_at,
    workflowId: letter.headers[HEADER.workflowId]?.toString('utf8'),
    redrive,
  };
}

/** The dead letters that match the filter, each with its redrive if it had one. */
export async function listDeadLetters(
  connection: KafkaConnection,
  registry: EventRegistry,
  filter: DeadLetterFilter = {},
): Promise<DeadLetterList> {
  const [read, redrives] = await Promise.all([
    readDeadLetters(connection, registry, filter.since),
    readRedrives(connection, registry),
  ]);
  const rows = read.letters
    .filter(
      ({ letter }) =>
        (filter.since === undefined || letter.failed_at >= filter.since) &&
        (filter.sourceTopic === undefined || letter.source_topic === filter.sourceTopic) &&
        (filter.errorCode === undefined || letter.error_code === filter.errorCode),
    )
    .map((stored) => rowOf(stored, redrives.get(stored.id)))
    .sort((a, b) => a.failedAt - b.failedAt || a.id.localeCompare(b.id));
  return {
    rows: filter.limit === undefined ? rows : rows.slice(Math.max(rows.length - filter.limit, 0)),
    undecodable: read.undecodable,
  };
}

function decodeSourceValue(
  registry: EventRegistry,
  topic: string,
  value: Buffer | null,
): DecodedSourceValue {
  if (!value) return { decoded: false, error: 'the record has no value' };
  try {
    const { writerVersion, value: decoded } = registry
      .codecForTopic(topic as TopicName)
      .decode(value);
    return { decoded: true, writerVersion, value: decoded };
  } catch (error) {
    return { decoded: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One dead letter whole. Throws DEAD_LETTER_ID_INVALID for an id that is not
 * `<partition>:<offset>`, DEAD_LETTER_NOT_FOUND when dead-letters holds no record there,
 * and DEAD_LETTER_UNDECODABLE when the record there is not a dead letter.
 */
export async function showDeadLetter(
  connection: KafkaConnection,
  registry: EventRegistry,
  id: string,
): Promise<DeadLetterDetail> {
  const position = parseDeadLetterId(id);
  const [read, redrives] = await Promise.all([
    readDeadLettersAt(connection, registry, [position]),
    readRedrives(connection, registry),
  ]);
  const [undecodable] = read.undecodable;
  if (undecodable)
    throw new CliError(
      'DEAD_LETTER_UNDECODABLE',
      `the record ${id} of dead-letters is not a dead letter: ${undecodable.error}`,
      { details: { id } },
    );
  const [stored] = read.letters;
  if (!stored)
    throw new CliError(
      'DEAD_LETTER_NOT_FOUND',
      `dead-letters holds no record at ${id} (deleted by retention, or never written)`,
      { details: { id } },
    );
  const { letter } = stored;
  return {
    ...rowOf(stored, redrives.get(stored.id)),
    sourceTimestamp: letter.source_timestamp,
    headers: Object.fromEntries(
      Object.entries(letter.headers).map(([name, bytes]) => [name, showBytes(bytes)]),
    ),
    key: letter.key && showBytes(letter.key),
    value: letter.value && showBytes(letter.value),
    decodedValue: decodeSourceValue(registry, letter.source_topic, letter.value),
  };
}
