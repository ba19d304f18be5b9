import { createHash } from 'node:crypto';
import avro from 'avsc';
import { ArchiveError } from './errors.ts';

/** One record as the broker held it: where it was, and its bytes untouched. */
export interface ArchivedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Epoch milliseconds (the record's CreateTime or LogAppendTime). */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
}

/**
 * The schema of an archive object's records. Offsets and timestamps are longs; key, value
 * and header values are the broker's bytes (a record's value is the fleet's Avro
 * single-object encoding, readable with the schemas in schemas/).
 */
export const ARCHIVED_RECORD_SCHEMA = {
  type: 'record',
  name: 'ArchivedRecord',
  namespace: 'io.paxfleet.archive',
  fields: [
    { name: 'topic', type: 'string' },
    { name: 'partition', type: 'int' },
    { name: 'offset', type: 'long' },
    { name: 'timestamp', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'key', type: ['null', 'bytes'], default: null },
    { name: 'value', type: ['null', 'bytes'], default: null },
    {
      name: 'headers',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Header',
          fields: [
            { name: 'key', type: 'string' },
            { name: 'value', type: ['null', 'bytes'], default: null },
          ],
        },
      },
      default: [],
    },
  ],
} as const;

const recordType = avro.Type.forSchema(ARCHIVED_RECORD_SCHEMA as unknown as avro.Schema);

/** What the file's metadata says of its records, beside the schema and codec. */
export interface ArchiveObjectRange {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

function rangeOf(records: readonly ArchivedRecord[]): ArchiveObjectRange {
  const [first] = records;
  const last = records.at(-1);
  if (!first || !last)
    throw new ArchiveError(
      'ARCHIVE_RECORDS_INVALID',
      'an archive object needs at least one record',
    );
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index] as ArchivedRecord;
    if (record.topic !== first.topic || record.partition !== first.partition)
      throw new ArchiveError(
        'ARCHIVE_RECORDS_INVALID',
        `an archive object holds one partition: ${record.topic}[${record.partition}] beside ${first.topic}[${first.partition}]`,
      );
    if (index > 0 && record.offset <= (records[index - 1] as ArchivedRecord).offset)
      throw new ArchiveError(
        'ARCHIVE_RECORDS_INVALID',
        `offsets must ascend: ${record.offset} after ${(records[index - 1] as ArchivedRecord).offset}`,
      );
  }
  return {
    topic: first.topic,
    partition: first.partition,
    firstOffset: first.offset,
    lastOffset: last.offset,
  };
}

/**
 * The records as an Avro object container file (deflate), the same bytes every time for
 * the same records: the sync marker comes from the range, not from a random generator,
 * so an archiver that writes an object again after a crash rewrites it identically.
 */
export async function encodeArchiveObject(records: readonly ArchivedRecord[]): Promise<Buffer> {
  const range = rangeOf(records);
  const syncMarker = createHash('sha256')
    .update(`${range.topic}/${range.partition}/${range.firstOffset}-${range.lastOffset}`)
    .digest()
    .subarray(0, 16);
  // avsc's BlockEncoder writes `metadata` into the header (its type declarations leave it out).
  const options = {
    codec: 'deflate',
    syncMarker,
    metadata: {
      'paxfleet.topic': Buffer.from(range.topic),
      'paxfleet.partition': Buffer.from(String(range.partition)),
      'paxfleet.first_offset': Buffer.from(String(range.firstOffset)),
      'paxfleet.last_offset': Buffer.from(String(range.lastOffset)),
    },
  };
  // Given the schema rather than recordType: avsc writes a type's header schema without the
  // logicalType it was not told how to convert, and readers would see timestamp as a long.
  const encoder = new avro.streams.BlockEncoder(
    ARCHIVED_RECORD_SCHEMA as unknown as avro.Schema,
    options,
  );
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('end', () => resolve());
    encoder.on('error', reject);
  });
  for (const record of records) encoder.write({ ...record, headers: [...record.headers] });
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

/** The records of an archive object, in offset order. */
export async function decodeArchiveObject(bytes: Buffer): Promise<ArchivedRecord[]> {
  const decoder = new avro.streams.BlockDecoder({ readerSchema: recordType });
  const records: ArchivedRecord[] = [];
  const done = new Promise<void>((resolve, reject) => {
    decoder.on('data', (record: ArchivedRecord) => records.push(record));
    decoder.on('end', () => resolve());
    decoder.on('error', (error: Error) =>
      reject(
        new ArchiveError('ARCHIVE_OBJECT_INVALID', `not an archive object: ${error.message}`, {
          cause: error,
        }),
      ),
    );
  });
  decoder.end(bytes);
  await done;
  // avsc decodes into instances of generated classes: plain objects here.
  return records.map((record) => ({
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key,
    value: record.value,
    headers: record.headers.map(({ key, value }) => ({ key, value })),
  }));
}
