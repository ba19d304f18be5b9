import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { EventCodec } from '../codec.ts';
import { eventRegistry } from '../registry.ts';
import type { SchemaVersion } from './schema-set.ts';
import { fingerprintHex } from './single-object.ts';

// A second Avro implementation, Apache Avro for Java (scripts/avro-java.sh),
// reads what our codec writes and writes what it reads: "any Avro
// implementation can read our topics", checked rather than assumed.
const classpath = process.env.AVRO_JAVA_CLASSPATH;
if (!classpath) {
  throw new Error('AVRO_JAVA_CLASSPATH is not set: run `make test-interop`');
}
const schemas = eventRegistry().schemas;
const SAMPLES = 40;

function schemaFile(schema: SchemaVersion): string {
  return fileURLToPath(
    new URL(`../../../../schemas/${schema.event}/v${schema.version}.avsc`, import.meta.url),
  );
}

/** Runs the Java tool; one output line per input line (or per schema). */
function java(args: readonly string[], lines: readonly string[] = []): string[] {
  const run = spawnSync('java', ['-cp', classpath as string, 'AvroInterop', ...args], {
    input: lines.map((line) => `${line}\n`).join(''),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `AvroInterop ${args[0]} failed: ${run.stderr}`);
  return run.stdout.split('\n').filter((line) => line !== '');
}

function samples(schema: SchemaVersion): { values: unknown[]; messages: Buffer[] } {
  const codec = new EventCodec<unknown>(schemas, schema.event, schema.version);
  const values = Array.from({ length: SAMPLES }, () => schema.type.random() as unknown);
  return { values, messages: values.map((value) => codec.encode(value)) };
}

/**
 * Java's messages, read back with our codec. Compared as values, not bytes:
 * Avro leaves the order of map entries open, and Java's maps reorder them.
 */
function readBack(lines: readonly string[], reader: SchemaVersion): unknown[] {
  const codec = new EventCodec<unknown>(schemas, reader.event, reader.version);
  return lines.map((line) => {
    assert.ok(!line.startsWith('error'), `Java could not read ${reader.event}: ${line}`);
    // decode checks the C3 01 marker and finds the writer by Java's fingerprint.
    const { value, writerVersion } = codec.decode(Buffer.from(line, 'hex'));
    assert.equal(writerVersion, reader.version, 'Java names the reader version as the writer');
    return value;
  });
}

const everyVersion = schemas.events().flatMap((event) => schemas.versions(event));

describe('Avro interoperability with Apache Avro for Java', () => {
  it('Java computes the same Parsing Canonical Form and fingerprint for every schema version', () => {
    const lines = java(['fingerprint', ...everyVersion.map(schemaFile)]);
    assert.deepEqual(
      lines,
      everyVersion.map((schema) => `${fingerprintHex(schema.fingerprint)} ${schema.canonical}`),
    );
  });

  it('Java reads every version we write, and we read what it writes', () => {
    for (const schema of everyVersion) {
      const { values, messages } = samples(schema);
      const lines = java(
        ['reencode', schemaFile(schema)],
        messages.map((message) => message.toString('hex')),
      );
      assert.equal(lines.length, SAMPLES);
      assert.deepEqual(readBack(lines, schema), values, `${schema.event} v${schema.version}`);
    }
  });

  it('Java resolves each version into every other as our readers do', () => {
    let pairs = 0;
    for (const event of schemas.events()) {
      for (const writer of schemas.versions(event)) {
        for (const reader of schemas.versions(event)) {
          if (writer === reader) continue;
          pairs++;
          const { messages } = samples(writer);
          const ours = new EventCodec<unknown>(schemas, event, reader.version);
          const lines = java(
            ['reencode', schemaFile(reader), schemaFile(writer)],
            messages.map((message) => message.toString('hex')),
          );
          assert.deepEqual(
            readBack(lines, reader),
            messages.map((message) => ours.decode(message).value),
            `${event} v${writer.version} read as v${reader.version}`,
          );
        }
      }
    }
    assert.ok(pairs >= 2, `${pairs} writer/reader pairs (research-event has v1 and v2)`);
  });
});
