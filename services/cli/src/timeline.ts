import { PartitionReader, type KafkaConnection } from '@paxfleet/kafka';
import { HEADER, type EventRegistry, type TopicName } from '@paxfleet/events';

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
  const reader = new PartitionReader(connection, { clientId: 'paxfleet-timeline' });
  await reader.connect();
  try {
    const entries: TimelineEntry[] = [];
    for (const spec of registry.catalog.topics) {
      const topic = spec.name as TopicName;
      const codec = registry.codecForTopic(topic);
      const partitions = await reader.partitionCount(topic);
      await reader.readToEnd(
        Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
        (record) => {
          if (record.headers[HEADER.workflowId]?.toString('utf8') !== workflowId || !record.value)
            return;
          let value: unknown;
          try {
            value = codec.decode(record.value).value;
          } catch (error) {
            value = { undecodable: (error as Error).message };
          }
          entries.push({
            timestamp: record.timestamp,
            topic,
            partition: record.partition,
            offset: record.offset,
            eventType: record.headers[HEADER.eventType]?.toString('utf8') ?? '',
            producer: record.headers[HEADER.producer]?.toString('utf8') ?? '',
            value,
          });
        },
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
