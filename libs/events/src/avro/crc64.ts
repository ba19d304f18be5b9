// CRC-64-AVRO, the 64-bit Rabin fingerprint the Avro specification defines
// for schema fingerprints (empty value and polynomial 0xc15d213aa4d7a795).
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const table: readonly bigint[] = Array.from({ length: 256 }, (_, index) => {
  let fingerprint = BigInt(index);
  for (let bit = 0; bit < 8; bit += 1) {
    fingerprint = (fingerprint >> 1n) ^ (EMPTY & -(fingerprint & 1n));
  }
  return fingerprint & MASK;
});

export function crc64Avro(bytes: Uint8Array): bigint {
  let fingerprint = EMPTY;
  for (const byte of bytes) {
    const entry = table[Number((fingerprint ^ BigInt(byte)) & 0xffn)] as bigint;
    fingerprint = (fingerprint >> 8n) ^ entry;
  }
  return fingerprint;
}
