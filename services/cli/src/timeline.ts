import type { KafkaConnection, PartitionRecord } from '@paxfleet/kafka';
import { HEADER, TopicReader, type EventRegistry, type TopicName } from '@paxfleet/events';

export interface TimelineEntry {
  readonly timestamp: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly eventType: string;
  readonly producer: string;
  readonly value: unknown;
}

/**
 * Every committed record of one workflow, from every topic in the catalog, in
 * time order: the replay the article's debugging needed, without grepping logs.
 */
export async function workflowTimeline(
  connection: KafkaConnection,
  registry: EventRegistry,
  workflowId: string,
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  const entry = (
    record: Pick<PartitionRecord, 'timestamp' | 'topic' | 'partition' | 'offset' | 'headers'>,
    value: unknown,
  ): TimelineEntry => ({
    timestamp: record.timestamp,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    eventType: record.headers[HEADER.eventType]?.toString('utf8') ?? '',
    producer: record.headers[HEADER.producer]?.toString('utf8') ?? '',
    value,
  });
  // A record of the workflow that does not decode is still part of its history: shown as such.
  const reader = new TopicReader(connection, registry, {
    clientId: 'paxfleet-timeline',
    onUndecodable: (record, error) => entries.push(entry(record, { undecodable: error.message })),
  });
  await reader.connect();
  try {
    for (const spec of registry.catalog.topics) {
      await reader.readToEnd(
        await reader.everyPartition(spec.name as TopicName),
        (record) => entries.push(entry(record, record.value)),
        (record) =>
          record.value !== null &&
          record.headers[HEADER.workflowId]?.toString('utf8') === workflowId,
      );
    }
    return entries.sort(
      (a, b) => a.timestamp - b.timestamp || a.topic.localeCompare(b.topic) || a.offset - b.offset,
    );
  } finally {
    await reader.close();
  }
}

/** One line per record: time, topic and coordinates, event type, producer, and what it says. */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries
    .map((entry) => {
      const time = new Date(entry.timestamp).toISOString().slice(11, 23);
      const where = `${entry.topic}[${entry.partition}]@${entry.offset}`;
      return `${time}  ${where.padEnd(28)} ${entry.eventType.padEnd(20)} ${entry.producer.padEnd(12)} ${summarize(entry.value)}`;
    })
    .join('\n');
}

function summarize(value: unknown): string {
  const record = value as Record<string, unknown>;
  const keys = [
    'topic',
    'work_key',
    'agent',
    'action',
    'decision',
    'holder',
    'epoch',
    'outcome',
    'reason',
    'status',
    'format',
    'score',
  ];
  return keys
    .filter((key) => record[key] !== undefined && record[key] !== null && record[key] !== '')
    .map((key) => `${key}=${String(record[key] as string | number)}`)
    .join(' ');
}
