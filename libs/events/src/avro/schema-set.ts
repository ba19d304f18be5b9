import avro from 'avsc';
import { EventsError } from '../errors.ts';
import { crc64Avro } from './crc64.ts';

export type AvroSchema = avro.Schema;
export type AvroType = avro.Type;

/** One version of one event's schema, parsed, with its Parsing Canonical Form and fingerprint. */
export interface SchemaVersion {
  readonly event: string;
  readonly version: number;
  readonly type: AvroType;
  readonly canonical: string;
  readonly fingerprint: bigint;
}

export function parsingCanonicalForm(type: AvroType): string {
  return JSON.stringify(type.schema());
}

export function schemaVersion(event: string, version: number, schema: AvroSchema): SchemaVersion {
  let type: AvroType;
  try {
    type = avro.Type.forSchema(schema);
  } catch (cause) {
    throw new EventsError(
      'SCHEMA_INVALID',
      `schemas/${event}/v${version}.avsc is not a valid Avro schema`,
      {
        cause,
        details: { event, version },
      },
    );
  }
  const canonical = parsingCanonicalForm(type);
  return {
    event,
    version,
    type,
    canonical,
    fingerprint: crc64Avro(Buffer.from(canonical, 'utf8')),
  };
}

/** Every version of every event, looked up by name or by writer fingerprint. */
export class SchemaSet {
  readonly #byEvent = new Map<string, SchemaVersion[]>();
  readonly #byFingerprint = new Map<bigint, SchemaVersion>();

  constructor(sources: Readonly<Record<string, Readonly<Record<number, AvroSchema>>>>) {
    for (const [event, versions] of Object.entries(sources)) {
      const parsed = Object.entries(versions)
        .map(([version, schema]) => schemaVersion(event, Number(version), schema))
        .sort((a, b) => a.version - b.version);
      parsed.forEach((entry, index) => {
        if (entry.version !== index + 1) {
          throw new EventsError(
            'SCHEMA_INVALID',
            `schemas/${event} must number its versions v1, v2, ... without gaps`,
          );
        }
        const clash = this.#byFingerprint.get(entry.fingerprint);
        if (clash) {
          throw new EventsError(
            'SCHEMA_INVALID',
            `schemas/${event}/v${entry.version}.avsc has the same canonical form as schemas/${clash.event}/v${clash.version}.avsc`,
          );
        }
        this.#byFingerprint.set(entry.fingerprint, entry);
      });
      this.#byEvent.set(event, parsed);
    }
  }

  events(): string[] {
    return [...this.#byEvent.keys()].sort();
  }

  versions(event: string): readonly SchemaVersion[] {
    const versions = this.#byEvent.get(event);
    if (!versions)
      throw new EventsError('SCHEMA_NOT_FOUND', `no schema for event "${event}"`, {
        details: { event },
      });
    return versions;
  }

  latest(event: string): SchemaVersion {
    const versions = this.versions(event);
    return versions[versions.length - 1] as SchemaVersion;
  }

  version(event: string, version: number): SchemaVersion {
    const found = this.versions(event).find((entry) => entry.version === version);
    if (!found) {
      throw new EventsError('SCHEMA_NOT_FOUND', `no schemas/${event}/v${version}.avsc`, {
        details: { event, version },
      });
    }
    return found;
  }

  byFingerprint(fingerprint: bigint): SchemaVersion | undefined {
    return this.#byFingerprint.get(fingerprint);
  }
}
