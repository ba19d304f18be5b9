import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crdsOf, writeCrdSchemas } from './crds.ts';
import type { JsonObject } from './json-schema.ts';
import { SchemaWriter } from './schema-writer.ts';

const out = mkdtempSync(join(tmpdir(), 'openapi2jsonschema-'));
after(() => rmSync(out, { recursive: true, force: true }));

const crd: JsonObject = {
  kind: 'CustomResourceDefinition',
  spec: {
    group: 'keda.sh',
    names: { kind: 'ScaledObject' },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: {} } },
          },
        },
      },
      { name: 'v1alpha0', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

describe('CRD schemas', () => {
  it('take one CRD or the items of a List, and refuse anything else, naming the file', () => {
    assert.equal(crdsOf(crd, 'a.json').length, 1);
    assert.equal(
      crdsOf({ kind: 'CustomResourceDefinitionList', items: [crd, crd] }, 'b.yaml').length,
      2,
    );
    assert.throws(
      () => crdsOf({ kind: 'Deployment' }, 'c.yaml'),
      /CRD_INVALID: c\.yaml: expected a CustomResourceDefinition, found Deployment/,
    );
  });

  it("write each served version, strict, with Kubernetes' ObjectMeta as metadata", () => {
    const writer = new SchemaWriter(out);
    const objectMeta = {
      type: 'object',
      properties: { name: { type: 'string' } },
      additionalProperties: false,
    };
    assert.deepEqual(writeCrdSchemas(crd, 'keda.yaml', objectMeta, writer), []);
    assert.deepEqual(readdirSync(out), ['scaledobject-keda-v1alpha1.json']);
    const schema = JSON.parse(
      readFileSync(join(out, 'scaledobject-keda-v1alpha1.json'), 'utf8'),
    ) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
      required: string[];
    };
    assert.deepEqual(schema.properties['metadata'], objectMeta);
    assert.deepEqual(schema.properties['kind'], { type: 'string', enum: ['ScaledObject'] });
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['apiVersion', 'kind']);
    assert.deepEqual(writeCrdSchemas(crd, 'again.yaml', objectMeta, writer), [
      'scaledobject-keda-v1alpha1.json: keda.sh/v1alpha1 ScaledObject shadowed by keda.sh/v1alpha1 ScaledObject',
    ]);
  });
});
