import type avro from 'avsc';
import { EventsError } from './errors.ts';
import { fingerprintHex, frame, unframe } from './avro/single-object.ts';
import type { SchemaSet, SchemaVersion } from './avro/schema-set.ts';

export interface Decoded<T> {
  readonly value: T;
  /** The schema version the record was written with. */
  readonly writerVersion: number;
}

/**
 * Encodes one event with the version this code was built with, and decodes
 * any known version of it into that version (Avro schema resolution).
 */
export class EventCodec<T> {
  readonly event: string;
  readonly reader: SchemaVersion;
  readonly #schemas: SchemaSet;
  readonly #resolvers = new Map<bigint, avro.Resolver>();

  constructor(schemas: SchemaSet, event: string, readerVersion?: number) {
    this.#schemas = schemas;
    this.event = event;
    this.reader =
      readerVersion === undefined ? schemas.latest(event) : schemas.version(event, readerVersion);
  }

  encode(value: T): Buffer {
    const problems: string[] = [];
    const valid = this.reader.type.isValid(value, {
      errorHook: (path: string[], found: unknown) =>
        problems.push(`${path.join('.') || '(value)'}=${describe(found)}`),
    });
    if (!valid) {
      throw new EventsError(
        'ENCODE_INVALID_VALUE',
        `${this.event} v${this.reader.version} rejects ${problems.join(', ')}`,
        { details: { event: this.event, problems } },
      );
    }
    return frame(this.reader.fingerprint, this.reader.type.toBuffer(value));
  }

  decode(bytes: Buffer): Decoded<T> {
    const { fingerprint, body } = unframe(bytes);
    const writer = this.#schemas.byFingerprint(fingerprint);
    if (!writer) {
      throw new EventsError(
        'DECODE_UNKNOWN_FINGERPRINT',
        `writer schema ${fingerprintHex(fingerprint)} is not a known version of ${this.event}`,
        { details: { event: this.event, fingerprint: fingerprintHex(fingerprint) } },
      );
    }
    if (writer.event !== this.event) {
      throw new EventsError(
        'DECODE_WRONG_EVENT',
        `record holds ${writer.event} v${writer.version}, expected ${this.event}`,
        { details: { event: this.event, writerEvent: writer.event } },
      );
    }
    try {
      const value = this.reader.type.fromBuffer(body, this.#resolverFor(writer)) as T;
      return { value, writerVersion: writer.version };
    } catch (cause) {
      if (cause instanceof EventsError) throw cause;
      throw new EventsError(
        'DECODE_BAD_BODY',
        `${this.event} v${writer.version} body could not be read: ${(cause as Error).message}`,
        { cause, details: { event: this.event, writerVersion: writer.version } },
      );
    }
  }

  #resolverFor(writer: SchemaVersion): avro.Resolver | undefined {
    if (writer.fingerprint === this.reader.fingerprint) return undefined;
    let resolver = this.#resolvers.get(writer.fingerprint);
    if (!resolver) {
      try {
        resolver = this.reader.type.createResolver(writer.type);
      } catch (cause) {
        throw new EventsError(
          'SCHEMA_INCOMPATIBLE',
          `${this.event} v${this.reader.version} cannot read data written with v${writer.version}: ${(cause as Error).message}`,
          {
            cause,
            details: {
              event: this.event,
              readerVersion: this.reader.version,
              writerVersion: writer.version,
            },
          },
        );
      }
      this.#resolvers.set(writer.fingerprint, resolver);
    }
    return resolver;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text =
    typeof value === 'object' || typeof value === 'string'
      ? JSON.stringify(value)
      : `${value as number}`;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
