import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ARCHIVED_RECORD_SCHEMA,
  decodeArchiveObject,
  encodeArchiveObject,
  type ArchivedRecord,
} from './archive-object.ts';

// An independent reader and writer of archive objects: Apache Avro for Java
// (scripts/avro-java.sh, AvroInterop.java's archive-read and archive-write) reads
// the container files we write, and we read the ones it writes.
const classpath = process.env.AVRO_JAVA_CLASSPATH;
if (!classpath) {
  throw new Error('AVRO_JAVA_CLASSPATH is not set: run `make test-interop`');
}

const TOPIC = 'research.events_v2-eu';
const PARTITION = 2_147_483_647;
const BASE = 2 ** 40;
const LARGEST_OFFSET = 2 ** 53 - 2;

/** 512 bytes that look random, the same every run. */
function filler(index: number): Buffer {
  return Buffer.concat(
    Array.from({ length: 16 }, (_, part) =>
      createHash('sha256').update(`${index}/${part}`).digest(),
    ),
  );
}

const edgeCases: ArchivedRecord[] = [
  {
    topic: TOPIC,
    partition: PARTITION,
    offset: BASE,
    timestamp: Date.parse('2026-12-01T10:00:00.123Z'),
    key: Buffer.from('workflow_7k2p9x0q'),
    value: Buffer.from([0xc3, 0x01, 0x00, 0xff, 0x80, 0x7f]),
    headers: [
      { key: 'traceparent', value: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-01') },
      { key: 'absent', value: null },
      { key: 'zero-length', value: Buffer.alloc(0) },
      { key: 'naïve-ключ-工作流-🚀', value: Buffer.from('é ✓ 😀') },
    ],
  },
  // A tombstone without a key: both unions on their null branch, no headers.
  {
    topic: TOPIC,
    partition: PARTITION,
    offset: BASE + 1,
    timestamp: Date.parse('2026-12-01T10:00:01Z'),
    key: null,
    value: null,
    headers: [],
  },
  // Empty bytes, not null; bytes that are no UTF-8; the epoch; an empty header key.
  {
    topic: TOPIC,
    partition: PARTITION,
    offset: BASE + 2 ** 20,
    timestamp: 0,
    key: Buffer.alloc(0),
    value: Buffer.from([0xff, 0xfe, 0x00, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
    headers: [
      { key: '', value: null },
      { key: 'dup', value: Buffer.from('1') },
      { key: 'dup', value: Buffer.from('2') },
    ],
  },
];
// Enough 512-byte values for avsc to write several blocks.
const bulk: ArchivedRecord[] = Array.from({ length: 300 }, (_, index) => ({
  topic: TOPIC,
  partition: PARTITION,
  offset: BASE + 2 ** 20 + 1 + index * 3,
  timestamp: Date.parse('2026-12-01T11:00:00Z') + index,
  key: Buffer.from(`workflow_${index.toString(36).padStart(8, '0')}`),
  value: filler(index),
  headers: [{ key: 'index', value: Buffer.from(String(index)) }],
}));
const records: ArchivedRecord[] = [
  ...edgeCases,
  ...bulk,
  // The largest long avsc reads and writes (2^53 - 2, one below Number.MAX_SAFE_INTEGER);
  // Kafka's "no timestamp" (-1), before the epoch.
  {
    topic: TOPIC,
    partition: PARTITION,
    offset: LARGEST_OFFSET,
    timestamp: -1,
    key: Buffer.from('last'),
    value: Buffer.from('{"ok":true}'),
    headers: [],
  },
];

const dir = mkdtempSync(join(tmpdir(), 'paxfleet-archive-interop-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// The schema Java writes with: ours, as a file.
const schemaFile = join(dir, 'archived-record.avsc');
writeFileSync(schemaFile, JSON.stringify(ARCHIVED_RECORD_SCHEMA));

function java(args: readonly string[], input = ''): string {
  const run = spawnSync('java', ['-cp', classpath as string, 'AvroInterop', ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `AvroInterop ${args[0]} failed: ${run.stderr}`);
  return run.stdout;
}

/** A record as AvroInterop archive-read reports it. */
interface JavaRecord {
  readonly topic: string;
  readonly partition: string;
  readonly offset: string;
  readonly timestamp: string;
  readonly timestampClass: string;
  readonly timestampIso: string | null;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly { readonly key: string; readonly value: string | null }[];
}

interface JavaReport {
  readonly schema: string;
  readonly timestampLogicalType: string | null;
  readonly metadata: Record<string, string>;
  readonly blocks: number;
  readonly records: readonly JavaRecord[];
}

const hex = (bytes: Buffer | null): string | null =>
  bytes === null ? null : bytes.toString('hex');

/** What Java must report of a record we wrote. */
function expected(record: ArchivedRecord): JavaRecord {
  return {
    topic: record.topic,
    partition: String(record.partition),
    offset: String(record.offset),
    timestamp: String(record.timestamp),
    timestampClass: 'java.time.Instant',
    // java.time.Instant prints the shortest ISO-8601 form: no ".000" for whole seconds.
    timestampIso: new Date(record.timestamp).toISOString().replace('.000Z', 'Z'),
    key: hex(record.key),
    value: hex(record.value),
    headers: record.headers.map(({ key, value }) => ({ key, value: hex(value) })),
  };
}

/** The records as AvroInterop archive-write reads them from stdin. */
function writeInput(list: readonly ArchivedRecord[]): string {
  const nullable = (bytes: Buffer | null): string => hex(bytes) ?? '-';
  return list
    .map((record) =>
      [
        Buffer.from(record.topic).toString('hex'),
        record.partition,
        record.offset,
        record.timestamp,
        nullable(record.key),
        nullable(record.value),
        record.headers
          .map(({ key, value }) => `${Buffer.from(key).toString('hex')}:${nullable(value)}`)
          .join(','),
      ].join('\t'),
    )
    .map((line) => `${line}\n`)
    .join('');
}

describe('archive objects and Apache Avro for Java', () => {
  it('Java reads an archive object we write: schema, codec, metadata and every field of every record', async () => {
    const file = join(dir, 'ours.avro');
    writeFileSync(file, await encodeArchiveObject(records));
    const report = JSON.parse(java(['archive-read', file])) as JavaReport;

    // The schema as Java parsed it from the header, logical type and defaults included.
    assert.deepEqual(JSON.parse(report.schema), ARCHIVED_RECORD_SCHEMA, 'writer schema');
    assert.equal(report.timestampLogicalType, 'timestamp-millis');
    assert.deepEqual(
      report.metadata,
      {
        'avro.codec': 'deflate',
        'paxfleet.topic': TOPIC,
        'paxfleet.partition': String(PARTITION),
        'paxfleet.first_offset': String(BASE),
        'paxfleet.last_offset': String(LARGEST_OFFSET),
      },
      'metadata',
    );
    assert.ok(report.blocks >= 2, `${report.blocks} block(s): Java reads past a sync marker`);

    assert.equal(report.records.length, records.length, 'record count');
    records.forEach((record, index) => {
      const want = expected(record);
      const got = report.records[index] as JavaRecord;
      for (const field of Object.keys(want) as (keyof JavaRecord)[]) {
        assert.deepEqual(
          got[field],
          want[field],
          `record ${index} (offset ${record.offset}) ${field}`,
        );
      }
    });
  });

  it('we read an archive object Java writes, every field of every record as Java was given it', async () => {
    const file = join(dir, 'java.avro');
    const out = java(['archive-write', schemaFile, file], writeInput(records)).trim();
    assert.match(out, /^blocks ([2-9]|\d{2,})$/, 'Java wrote several deflate blocks');

    const decoded = await decodeArchiveObject(readFileSync(file));
    assert.equal(decoded.length, records.length, 'record count');
    records.forEach((record, index) => {
      const got = decoded[index] as ArchivedRecord;
      for (const field of Object.keys(record) as (keyof ArchivedRecord)[]) {
        assert.deepEqual(
          got[field],
          record[field],
          `record ${index} (offset ${record.offset}) ${field}`,
        );
      }
    });
    assert.deepEqual(decoded, records);
  });

  it('we refuse, rather than round, an offset Java writes beyond what a JavaScript number holds', async () => {
    const file = join(dir, 'java-int64.avro');
    const fields = writeInput([records[0] as ArchivedRecord])
      .trimEnd()
      .split('\t');
    fields[2] = '9223372036854775807';
    java(['archive-write', schemaFile, file], `${fields.join('\t')}\n`);
    await assert.rejects(
      decodeArchiveObject(readFileSync(file)),
      /ARCHIVE_OBJECT_INVALID: not an archive object: potential precision loss/,
    );
  });
});
