import { EventsError } from '../errors.ts';

/** Avro single-object encoding: C3 01, the writer schema's CRC-64-AVRO fingerprint (little-endian), the body. */
export const SINGLE_OBJECT_MARKER = Buffer.from([0xc3, 0x01]);
export const SINGLE_OBJECT_HEADER_BYTES = 10;

export function frame(fingerprint: bigint, body: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(SINGLE_OBJECT_HEADER_BYTES + body.length);
  SINGLE_OBJECT_MARKER.copy(framed, 0);
  framed.writeBigUInt64LE(fingerprint, 2);
  body.copy(framed, SINGLE_OBJECT_HEADER_BYTES);
  return framed;
}

export function unframe(bytes: Buffer): { fingerprint: bigint; body: Buffer } {
  if (bytes.length < SINGLE_OBJECT_HEADER_BYTES || bytes[0] !== 0xc3 || bytes[1] !== 0x01) {
    throw new EventsError(
      'DECODE_NOT_SINGLE_OBJECT',
      `record is not Avro single-object encoded (starts with ${bytes.subarray(0, 2).toString('hex') || 'nothing'}, expected c301)`,
    );
  }
  return {
    fingerprint: bytes.readBigUInt64LE(2),
    body: bytes.subarray(SINGLE_OBJECT_HEADER_BYTES),
  };
}

export function fingerprintHex(fingerprint: bigint): string {
  return fingerprint.toString(16).padStart(16, '0');
}
