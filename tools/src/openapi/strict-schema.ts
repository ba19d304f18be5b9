import { ToolError } from '../tool-error.ts';
import {
  apiVersionOf,
  isJsonArray,
  isJsonObject,
  without,
  type GroupVersionKind,
  type Json,
  type JsonObject,
} from './json-schema.ts';

const INT_OR_STRING = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
// resource.Quantity is a string in the spec, but the API server accepts YAML numbers (cpu: 1).
const QUANTITY = { oneOf: [{ type: 'string' }, { type: 'number' }] };
const QUANTITY_DEFINITION = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Keywords whose value is data, not a sub-schema: copied as they are. */
const DATA_KEYWORDS = new Set(['enum', 'required', 'example', 'default', 'const']);
/** Keywords whose value maps names to sub-schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);

const mapValues = (object: JsonObject, f: (value: Json) => Json): JsonObject =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));

/**
 * Strict as kubectl's validation was: every object schema that lists its properties
 * rejects unknown ones (additionalProperties: false) unless the API preserves unknown
 * fields; int-or-string becomes a oneOf, and nullable a type list. Recurses into every
 * sub-schema.
 */
export function strictify(node: Json): Json {
  if (isJsonArray(node)) return node.map(strictify);
  if (!isJsonObject(node)) return node;
  if (
    (node['format'] === 'int-or-string' || node['x-kubernetes-int-or-string'] === true) &&
    !node['anyOf'] &&
    !node['oneOf']
  ) {
    return strictify({ ...without(node, 'type', 'format'), ...INT_OR_STRING });
  }
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAPS.has(key) && isJsonObject(value)) out[key] = mapValues(value, strictify);
    else if (DATA_KEYWORDS.has(key)) out[key] = value;
    else out[key] = strictify(value);
  }
  if (out['nullable'] === true && typeof out['type'] === 'string')
    out['type'] = [out['type'], 'null'];
  const preserves = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out['properties'] && !('additionalProperties' in out) && !preserves) {
    out['additionalProperties'] = false;
  }
  return out;
}

/**
 * Inlines every #/definitions/ reference; a definition that refers back to itself
 * (JSONSchemaProps) is cut at the second visit and left open. `stack` holds the
 * definitions being inlined.
 */
export function inline(node: Json, definitions: JsonObject, stack: readonly string[] = []): Json {
  if (isJsonArray(node)) return node.map((n) => inline(n, definitions, stack));
  if (!isJsonObject(node)) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/definitions\//, '');
    if (name === QUANTITY_DEFINITION) return { ...QUANTITY };
    if (stack.includes(name)) return {};
    const target = definitions[name];
    if (target === undefined) throw new ToolError('OPENAPI_INVALID', `unresolved reference ${ref}`);
    const inlined = inline(target, definitions, [...stack, name]);
    return isJsonObject(inlined) ? { ...inlined, ...without(node, '$ref') } : inlined;
  }
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'properties' || key === 'patternProperties') && isJsonObject(value)) {
      out[key] = mapValues(value, (v) => inline(v, definitions, stack));
    } else {
      out[key] = key === 'enum' || key === 'required' ? value : inline(value, definitions, stack);
    }
  }
  return out;
}

/** apiVersion and kind accept only this resource's values, and are required. */
export function pinTypeFields(schema: JsonObject, gvk: GroupVersionKind): JsonObject {
  const properties = isJsonObject(schema['properties']) ? schema['properties'] : {};
  const field = (name: string) => {
    const existing = properties[name];
    return isJsonObject(existing) ? existing : { type: 'string' };
  };
  const required = isJsonArray(schema['required']) ? schema['required'] : [];
  return {
    ...schema,
    properties: {
      ...properties,
      apiVersion: { ...field('apiVersion'), enum: [apiVersionOf(gvk)] },
      kind: { ...field('kind'), enum: [gvk.kind] },
    },
    required: [...new Set([...required, 'apiVersion', 'kind'])],
  };
}
