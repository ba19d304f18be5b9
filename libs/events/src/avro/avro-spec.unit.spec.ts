import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import avro from 'avsc';
import { crc64Avro } from './crc64.ts';
import { parsingCanonicalForm } from './schema-set.ts';
import { frame, unframe } from './single-object.ts';
import type { EventsError } from '../errors.ts';

// Inputs, canonical forms and fingerprints from the Avro project's shared test data (schema-tests.txt).
const vectors: { input: avro.Schema; canonical: string; fingerprint: bigint }[] = [
  { input: 'null', canonical: '"null"', fingerprint: 7195948357588979594n },
  { input: 'int', canonical: '"int"', fingerprint: 8247732601305521295n },
  { input: 'string', canonical: '"string"', fingerprint: -8142146995180207161n },
  {
    input: ['int', { type: 'boolean' }] as avro.Schema,
    canonical: '["int","boolean"]',
    fingerprint: 5392556393470105090n,
  },
  {
    input: { fields: [], type: 'record', name: 'foo', namespace: 'x.y' },
    canonical: '{"name":"x.y.foo","type":"record","fields":[]}',
    fingerprint: 5916914534497305771n,
  },
  {
    input: {
      fields: [
        { type: 'boolean', aliases: [], name: 'f1', default: true },
        { order: 'descending', name: 'f2', doc: 'Hello', type: 'int' },
      ],
      type: 'record',
      name: 'foo',
    } as avro.Schema,
    canonical:
      '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: -4860222112080293046n,
  },
  {
    input: { namespace: 'x.y.z', type: 'enum', name: 'foo', doc: 'foo bar', symbols: ['A1', 'A2'] },
    canonical: '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    fingerprint: -4448647247586288245n,
  },
  {
    input: { values: 'string', type: 'map' },
    canonical: '{"type":"map","values":"string"}',
    fingerprint: -8732877298790414990n,
  },
];

describe('Avro specification conformance', () => {
  for (const { input, canonical, fingerprint } of vectors) {
    it(`canonical form and CRC-64-AVRO of ${canonical}`, () => {
      const form = parsingCanonicalForm(avro.Type.forSchema(input));
      assert.equal(form, canonical);
      assert.equal(crc64Avro(Buffer.from(form)), BigInt.asUintN(64, fingerprint));
    });
  }

  it('frames single-object encoding as C3 01, little-endian fingerprint, body', () => {
    const framed = frame(0x0102030405060708n, Buffer.from([0xaa, 0xbb]));
    assert.equal(framed.toString('hex'), 'c3010807060504030201aabb');
    const { fingerprint, body } = unframe(framed);
    assert.equal(fingerprint, 0x0102030405060708n);
    assert.equal(body.toString('hex'), 'aabb');
  });

  it('rejects bytes that are not single-object encoded', () => {
    for (const bytes of [
      Buffer.from('{"json":true}'),
      Buffer.from([0xc3, 0x01, 0x00]),
      Buffer.alloc(0),
    ]) {
      assert.throws(
        () => unframe(bytes),
        (error: EventsError) => error.code === 'DECODE_NOT_SINGLE_OBJECT',
      );
    }
  });
});
