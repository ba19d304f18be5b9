import { ToolError } from '../tool-error.ts';
import {
  expectObject,
  isJsonArray,
  isJsonObject,
  type Json,
  type JsonObject,
} from './json-schema.ts';
import type { SchemaWriter } from './schema-writer.ts';
import { pinTypeFields, strictify } from './strict-schema.ts';

function itemsOf(document: Json): Json | undefined {
  const isList =
    isJsonObject(document) &&
    (document['kind'] === 'CustomResourceDefinitionList' || isJsonArray(document['items']));
  return isList ? document['items'] : [document];
}

/** The CustomResourceDefinitions of one document: itself, or the items of a List. */
export function crdsOf(document: Json, source: string): JsonObject[] {
  const items = itemsOf(document);
  if (!isJsonArray(items)) throw new ToolError('CRD_INVALID', `${source}: items is not a list`);
  return items.map((crd) => {
    const kind = isJsonObject(crd) ? crd['kind'] : undefined;
    if (!isJsonObject(crd) || kind !== 'CustomResourceDefinition') {
      throw new ToolError(
        'CRD_INVALID',
        `${source}: expected a CustomResourceDefinition, found ${typeof kind === 'string' ? kind : 'no kind'}`,
      );
    }
    return crd;
  });
}

function text(value: Json | undefined, what: string, source: string): string {
  if (typeof value !== 'string')
    throw new ToolError('CRD_INVALID', `${source}: ${what} is not a string`);
  return value;
}

/**
 * One strict schema per served version of a CRD, its `metadata` replaced by Kubernetes'
 * ObjectMeta so custom resources get the same metadata checks as built-in ones.
 * Returns the warnings (a kind's file shadowed).
 */
export function writeCrdSchemas(
  crd: JsonObject,
  source: string,
  objectMeta: Json,
  writer: SchemaWriter,
): string[] {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {};
  const group = text(spec['group'], 'spec.group', source);
  const kind = text(
    isJsonObject(spec['names']) ? spec['names']['kind'] : undefined,
    'spec.names.kind',
    source,
  );
  const versions = isJsonArray(spec['versions']) ? spec['versions'] : [];
  const warnings: string[] = [];
  for (const version of versions) {
    if (!isJsonObject(version)) continue;
    const openApi = isJsonObject(version['schema'])
      ? version['schema']['openAPIV3Schema']
      : undefined;
    if (!version['served'] || !isJsonObject(openApi)) continue;
    const strict = expectObject(strictify(openApi), `${source}: ${kind} openAPIV3Schema`);
    const schema = {
      ...strict,
      properties: {
        ...(isJsonObject(strict['properties']) ? strict['properties'] : {}),
        metadata: objectMeta,
      },
      additionalProperties: false,
    };
    const gvk = { group, version: text(version['name'], 'a version name', source), kind };
    const warning = writer.write(gvk, pinTypeFields(schema, gvk));
    if (warning) warnings.push(warning);
  }
  return warnings;
}
