import { EventsError } from './errors.ts';
import { eventHeaders, type EventContext } from './headers.ts';
import { producerTraceparent } from './tracing.ts';
import type { TopicName, TopicValues } from './generated/events.ts';
import type { EventRegistry } from './registry.ts';

/** 1 MiB, the broker's default message.max.bytes: anything larger goes to the blob store. */
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;

/** A record ready for Kafka: encoded, with its headers. */
export interface OutgoingRecord {
  /** The topic on the cluster: the catalog's name in the registry's namespace. */
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export interface SendOptions {
  /** The event-type header; defaults to the value's event_type field, else the schema name. */
  readonly eventType?: string;
}

/** Encodes one typed event into a Kafka record with the fleet's headers, refusing oversized records. */
export function encodeRecord<K extends TopicName>(
  registry: EventRegistry,
  producer: string,
  maxRecordBytes: number,
  topic: K,
  key: string,
  value: TopicValues[K],
  context: EventContext,
  options: SendOptions = {},
): OutgoingRecord {
  const spec = registry.topic(topic);
  const encoded = registry.codecForTopic(topic).encode(value);
  const valueEventType = (value as { event_type?: unknown }).event_type;
  const eventType =
    options.eventType ?? (typeof valueEventType === 'string' ? valueEventType : spec.valueSchema);
  const headers = eventHeaders(
    context,
    eventType,
    producer,
    producerTraceparent(topic, context, eventType),
  );
  const size =
    encoded.length +
    Buffer.byteLength(key) +
    Object.entries(headers).reduce(
      (sum, [name, text]) => sum + name.length + Buffer.byteLength(text),
      0,
    );
  if (size > maxRecordBytes) {
    throw new EventsError(
      'RECORD_TOO_LARGE',
      `${topic} record for key "${key}" is ${size} bytes, over the ${maxRecordBytes}-byte limit; put large bodies in the blob store and send the reference`,
      { details: { topic, key, size, maxRecordBytes } },
    );
  }
  return { topic: registry.physicalTopic(topic), key, value: encoded, headers };
}

export function groupByTopic(records: readonly OutgoingRecord[]): {
  topic: string;
  messages: { key: string; value: Buffer; headers: Record<string, string> }[];
}[] {
  const byTopic = new Map<
    string,
    { key: string; value: Buffer; headers: Record<string, string> }[]
  >();
  for (const record of records) {
    const messages = byTopic.get(record.topic) ?? [];
    messages.push({ key: record.key, value: record.value, headers: record.headers });
    byTopic.set(record.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
