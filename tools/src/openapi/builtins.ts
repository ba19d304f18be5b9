import { join } from 'node:path';
import { ToolError } from '../tool-error.ts';
import {
  expectObject,
  isJsonArray,
  isJsonObject,
  type GroupVersionKind,
  type Json,
} from './json-schema.ts';
import { SchemaWriter, writeSchema } from './schema-writer.ts';
import { inline, pinTypeFields, strictify } from './strict-schema.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** Where the CRD step finds Kubernetes' ObjectMeta, beside the built-in schemas. */
export const OBJECT_META_FILE = '_objectmeta.json';

const prerelease = (name: string) => Number(name.includes('beta') || name.includes('alpha'));

/** The one group-version-kind of a definition that is a resource, if it is one. */
function resourceOf(definition: Json | undefined): GroupVersionKind | undefined {
  if (!isJsonObject(definition)) return undefined;
  const gvks = definition['x-kubernetes-group-version-kind'];
  if (!isJsonArray(gvks) || gvks.length !== 1) return undefined;
  const [gvk] = gvks;
  if (!isJsonObject(gvk)) return undefined;
  const { group, version, kind } = gvk;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') {
    return undefined;
  }
  return { group, version, kind };
}

/**
 * Kubernetes' own api/openapi-spec/swagger.json (OpenAPI v2): one strict schema per
 * definition that carries x-kubernetes-group-version-kind, and ObjectMeta on its own
 * for the CRDs. Returns the warnings (a kind's file shadowed) and the count written.
 */
export function writeBuiltinSchemas(spec: Json, specName: string, outDir: string) {
  const definitions = isJsonObject(spec) ? spec['definitions'] : undefined;
  if (!isJsonObject(definitions)) {
    throw new ToolError(
      'OPENAPI_INVALID',
      `${specName}: no definitions (not an OpenAPI v2 document)`,
    );
  }
  const writer = new SchemaWriter(outDir);
  const warnings: string[] = [];
  // Stable API groups first, so a deprecated copy of a kind never shadows the stable one.
  const names = Object.keys(definitions).sort(
    (a, b) => prerelease(a) - prerelease(b) || a.localeCompare(b),
  );
  for (const name of names) {
    const gvk = resourceOf(definitions[name]);
    if (!gvk) continue;
    const schema = strictify(inline(definitions[name] ?? null, definitions, [name]));
    const warning = writer.write(gvk, pinTypeFields(expectObject(schema, name), gvk));
    if (warning) warnings.push(warning);
  }
  const objectMeta = definitions[OBJECT_META];
  if (objectMeta === undefined)
    throw new ToolError('OPENAPI_INVALID', `${specName}: no ${OBJECT_META}`);
  writeSchema(join(outDir, OBJECT_META_FILE), strictify(inline(objectMeta, definitions)));
  return { warnings, written: writer.resources.length };
}
