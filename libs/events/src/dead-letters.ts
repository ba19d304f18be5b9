import type { IHeaders, KafkaMessage } from '@paxfleet/kafka';
import { EventsError } from './errors.ts';
import type { DeadLetter } from './generated/events.ts';

export const DEAD_LETTER_TOPIC = 'dead-letters';

function headerBytes(headers: IHeaders | undefined): Record<string, Buffer> {
  const bytes: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== null)
      bytes[name] = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
  }
  return bytes;
}

/** The dead letter for a record: its original bytes and coordinates, and why it could not be handled. */
export function deadLetterFor(
  source: { topic: string; partition: number; message: KafkaMessage },
  error: unknown,
  failedBy: string,
  attempts: number,
  now: number,
): DeadLetter {
  const rawCode =
    error instanceof EventsError ? error.code : (error as { code?: unknown } | undefined)?.code;
  const code =
    typeof rawCode === 'string' || typeof rawCode === 'number'
      ? String(rawCode)
      : 'PROCESSING_FAILED';
  return {
    source_topic: source.topic,
    source_partition: source.partition,
    source_offset: Number(source.message.offset),
    source_timestamp: Number(source.message.timestamp),
    key: source.message.key ?? null,
    value: source.message.value ?? null,
    headers: headerBytes(source.message.headers),
    error_code: code,
    error_message: error instanceof Error ? error.message : String(error),
    failed_by: failedBy,
    attempts,
    failed_at: now,
  };
}
