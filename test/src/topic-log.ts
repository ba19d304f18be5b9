import { kafkaConnectionFromEnv, PartitionReader, type PartitionRecord } from '@paxfleet/kafka';
import {
  eventRegistry,
  type EventRegistry,
  type TopicName,
  type TopicValues,
} from '@paxfleet/events';

export interface LoggedEvent<K extends TopicName> {
  readonly value: TopicValues[K];
  readonly headers: Readonly<Record<string, string>>;
  readonly record: PartitionRecord;
}

/** Everything committed on a topic so far (in the registry's namespace), decoded, with its headers as text. */
export async function readTopic<K extends TopicName>(
  topic: K,
  registry: EventRegistry = eventRegistry(),
): Promise<LoggedEvent<K>[]> {
  const reader = new PartitionReader(kafkaConnectionFromEnv(process.env, 'fleet-test-reader'));
  await reader.connect();
  try {
    const codec = registry.codecForTopic(topic);
    const events: LoggedEvent<K>[] = [];
    const onCluster = registry.physicalTopic(topic);
    const partitions = await reader.partitionCount(onCluster);
    await reader.readToEnd(
      Array.from({ length: partitions }, (_, partition) => ({ topic: onCluster, partition })),
      (record) => {
        if (!record.value) return;
        const headers = Object.fromEntries(
          Object.entries(record.headers).map(([name, value]) => [name, value.toString('utf8')]),
        );
        events.push({ value: codec.decode(record.value).value, headers, record });
      },
    );
    return events;
  } finally {
    await reader.close();
  }
}
