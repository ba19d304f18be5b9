import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemaFileName } from './json-schema.ts';
import { inline, pinTypeFields, strictify } from './strict-schema.ts';

describe('strict schemas', () => {
  it('close every object that lists its properties, unless the API preserves unknown fields', () => {
    assert.deepEqual(
      strictify({
        type: 'object',
        properties: {
          spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
          raw: {
            type: 'object',
            properties: { a: { type: 'string' } },
            'x-kubernetes-preserve-unknown-fields': true,
          },
          open: { type: 'object', properties: {}, additionalProperties: true },
        },
      }),
      {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            properties: { replicas: { type: 'integer' } },
            additionalProperties: false,
          },
          raw: {
            type: 'object',
            properties: { a: { type: 'string' } },
            'x-kubernetes-preserve-unknown-fields': true,
          },
          open: { type: 'object', properties: {}, additionalProperties: true },
        },
        additionalProperties: false,
      },
    );
  });

  it('turn int-or-string into a oneOf and nullable into a type list, leaving data keywords alone', () => {
    assert.deepEqual(strictify({ type: 'string', format: 'int-or-string', description: 'port' }), {
      description: 'port',
      oneOf: [{ type: 'string' }, { type: 'integer' }],
    });
    assert.deepEqual(
      strictify({ type: 'string', nullable: true, enum: ['a'], default: { properties: {} } }),
      {
        type: ['string', 'null'],
        nullable: true,
        enum: ['a'],
        default: { properties: {} },
      },
    );
  });

  it('inline references, Quantity as a string or number, and cut a definition that refers to itself', () => {
    const definitions = {
      Meta: { type: 'object', properties: { name: { type: 'string' } } },
      Props: { type: 'object', properties: { items: { $ref: '#/definitions/Props' } } },
      'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
    };
    assert.deepEqual(inline({ $ref: '#/definitions/Meta', description: 'meta' }, definitions), {
      type: 'object',
      properties: { name: { type: 'string' } },
      description: 'meta',
    });
    assert.deepEqual(
      inline({ $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' }, definitions),
      {
        oneOf: [{ type: 'string' }, { type: 'number' }],
      },
    );
    assert.deepEqual(inline({ $ref: '#/definitions/Props' }, definitions, ['Props']), {});
    assert.deepEqual(inline({ $ref: '#/definitions/Props' }, definitions), {
      type: 'object',
      properties: { items: {} },
    });
  });

  it('refuse a reference to a definition that is not there', () => {
    assert.throws(
      () => inline({ $ref: '#/definitions/Missing' }, {}),
      /OPENAPI_INVALID: unresolved reference #\/definitions\/Missing/,
    );
  });

  it('pin apiVersion and kind to the resource and require them', () => {
    const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
    assert.deepEqual(
      pinTypeFields(
        {
          type: 'object',
          properties: { kind: { type: 'string', description: 'k' } },
          required: ['spec'],
        },
        gvk,
      ),
      {
        type: 'object',
        properties: {
          kind: { type: 'string', description: 'k', enum: ['Deployment'] },
          apiVersion: { type: 'string', enum: ['apps/v1'] },
        },
        required: ['spec', 'apiVersion', 'kind'],
      },
    );
  });

  it("name files as kubeconform looks them up: kind, the group's first label, version", () => {
    assert.equal(
      schemaFileName({ group: 'apps', version: 'v1', kind: 'Deployment' }),
      'deployment-apps-v1.json',
    );
    assert.equal(schemaFileName({ group: '', version: 'v1', kind: 'Pod' }), 'pod-v1.json');
    assert.equal(
      schemaFileName({ group: 'kafka.strimzi.io', version: 'v1', kind: 'KafkaTopic' }),
      'kafkatopic-kafka-v1.json',
    );
  });
});
