import {
  DEAD_LETTER_TOPIC,
  TopicReader,
  type DeadLetter,
  type DeadLetterRedrive,
  type EventRegistry,
  type TopicRecord,
} from '@paxfleet/events';
import type { KafkaConnection, PartitionRecord, PartitionStart } from '@paxfleet/kafka';
import { deadLetterId, type DeadLetterPosition } from './dead-letter-id.ts';

export const REDRIVE_TOPIC = 'dead-letter-redrives';

/** A dead letter's redrive: when, by whom, and where its copy went on the source topic. */
export interface Redrive {
  readonly at: number;
  readonly by: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export function redriveOf(marker: DeadLetterRedrive): Redrive {
  return {
    at: marker.redriven_at,
    by: marker.redriven_by,
    topic: marker.source_topic,
    partition: marker.redriven_partition,
    offset: marker.redriven_offset,
  };
}

/** A dead letter as it is on dead-letters. */
export interface StoredDeadLetter extends DeadLetterPosition {
  readonly id: string;
  /** When the broker took the letter (ms since the epoch). */
  readonly timestamp: number;
  readonly letter: DeadLetter;
}

/** A record of dead-letters that is not a dead letter this build can read. */
export interface UndecodableDeadLetter {
  readonly id: string;
  readonly error: string;
}

export interface DeadLetterRead {
  readonly letters: StoredDeadLetter[];
  readonly undecodable: UndecodableDeadLetter[];
}

async function readDeadLetterTopic(
  connection: KafkaConnection,
  registry: EventRegistry,
  starts: (reader: TopicReader) => Promise<PartitionStart[]>,
  only?: (record: PartitionRecord) => boolean,
): Promise<DeadLetterRead> {
  const read: DeadLetterRead = { letters: [], undecodable: [] };
  const reader = new TopicReader(connection, registry, {
    clientId: 'paxfleet-dead-letters',
    onUndecodable: (record, error) =>
      read.undecodable.push({ id: deadLetterId(record), error: error.message }),
  });
  await reader.connect();
  try {
    await reader.readToEnd<typeof DEAD_LETTER_TOPIC>(
      await starts(reader),
      (record) =>
        read.letters.push({
          id: deadLetterId(record),
          partition: record.partition,
          offset: record.offset,
          timestamp: record.timestamp,
          letter: record.value,
        }),
      only,
    );
  } finally {
    await reader.close();
  }
  return read;
}

/** Every dead letter the broker holds, or those it took at or after `since` (ms since the epoch). */
export function readDeadLetters(
  connection: KafkaConnection,
  registry: EventRegistry,
  since?: number,
): Promise<DeadLetterRead> {
  return readDeadLetterTopic(connection, registry, (reader) =>
    reader.everyPartition(
      DEAD_LETTER_TOPIC,
      since === undefined ? 'beginning' : { atOrAfter: since },
    ),
  );
}

/**
 * The dead letters at these positions, those the broker holds: each partition is read from
 * the first position asked for to its end, and only the positions asked for are decoded.
 */
export async function readDeadLettersAt(
  connection: KafkaConnection,
  registry: EventRegistry,
  positions: readonly DeadLetterPosition[],
): Promise<DeadLetterRead> {
  const wanted = new Set(positions.map(deadLetterId));
  return readDeadLetterTopic(
    connection,
    registry,
    async (reader) => {
      const marks = await reader.watermarks(DEAD_LETTER_TOPIC);
      const firsts = new Map<number, number>();
      for (const { partition, offset } of positions) {
        const mark = marks.get(partition);
        // A position outside the log (deleted by retention, not yet written, no such
        // partition) is not there; a start outside it would be an error.
        if (!mark || offset < mark.low || offset >= mark.high) continue;
        firsts.set(partition, Math.min(firsts.get(partition) ?? offset, offset));
      }
      return [...firsts].map(([partition, from]) => ({
        topic: DEAD_LETTER_TOPIC,
        partition,
        from,
      }));
    },
    (record) => wanted.has(deadLetterId(record)),
  );
}

/**
 * Every redrive marker by dead letter id: the whole of dead-letter-redrives (compacted, one
 * marker per id), read_committed to its last stable offset.
 */
export async function readRedrives(
  connection: KafkaConnection,
  registry: EventRegistry,
): Promise<Map<string, Redrive>> {
  const markers = new Map<string, Redrive>();
  const reader = new TopicReader(connection, registry, {
    clientId: 'paxfleet-dead-letter-redrives',
    // A marker this build cannot read still says the letter was re-driven; better to refuse
    // a redrive than to publish twice.
    onUndecodable: (record) => {
      const id = record.key?.toString('utf8');
      if (id)
        markers.set(id, {
          at: record.timestamp,
          by: '(a marker this build cannot read)',
          topic: '',
          partition: -1,
          offset: -1,
        });
    },
  });
  await reader.connect();
  try {
    await reader.readToEnd<typeof REDRIVE_TOPIC>(
      await reader.everyPartition(REDRIVE_TOPIC),
      (record: TopicRecord<typeof REDRIVE_TOPIC>) =>
        markers.set(record.value.dead_letter_id, redriveOf(record.value)),
    );
  } finally {
    await reader.close();
  }
  return markers;
}
