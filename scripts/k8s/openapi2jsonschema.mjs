#!/usr/bin/env node
// Turns Kubernetes OpenAPI documents into the standalone, strict JSON schemas
// kubeconform reads from disk, laid out as {kind}-{group's first label}-{version}.json
// (kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json`).
//
//   node openapi2jsonschema.mjs builtins <swagger.json> <out-dir>
//       Kubernetes' own api/openapi-spec/swagger.json (OpenAPI v2): one file per
//       definition that carries x-kubernetes-group-version-kind.
//   node openapi2jsonschema.mjs crds <out-dir> <objectmeta.json> <crd.json>...
//       CustomResourceDefinitions (JSON, one CRD or a List per file): one file
//       per served version; `metadata` is replaced by Kubernetes' ObjectMeta so
//       custom resources get the same metadata checks as built-in ones.
//
// Strict means what kubectl's validation meant: every object schema that lists
// its properties rejects unknown ones (additionalProperties: false), except
// where the API says unknown fields are preserved. Only Node built-ins are used.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INT_OR_STRING = { oneOf: [{ type: 'string' }, { type: 'integer' }] };
// resource.Quantity is a string in the spec, but the API server accepts YAML numbers (cpu: 1).
const QUANTITY = { oneOf: [{ type: 'string' }, { type: 'number' }] };

function fail(message) {
  process.stderr.write(`openapi2jsonschema: ${message}\n`);
  process.exit(1);
}

function kindSuffix(group, version) {
  return group
    ? `-${group.split('.')[0].toLowerCase()}-${version.toLowerCase()}`
    : `-${version.toLowerCase()}`;
}

function apiVersionOf(group, version) {
  return group ? `${group}/${version}` : version;
}

// Applies the strict rules to one schema node, recursing into every sub-schema.
function strictify(node) {
  if (Array.isArray(node)) return node.map(strictify);
  if (node === null || typeof node !== 'object') return node;
  if (node.format === 'int-or-string' || node['x-kubernetes-int-or-string'] === true) {
    if (!node.anyOf && !node.oneOf) {
      const { type: _type, format: _format, ...rest } = node;
      return strictify({ ...rest, ...INT_OR_STRING });
    }
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictify(v)]));
    } else if (
      key === 'enum' ||
      key === 'required' ||
      key === 'example' ||
      key === 'default' ||
      key === 'const'
    ) {
      out[key] = value;
    } else if (typeof value === 'object' && value !== null) {
      out[key] = strictify(value);
    } else {
      out[key] = value;
    }
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserves = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && !('additionalProperties' in out) && !preserves)
    out.additionalProperties = false;
  return out;
}

// Inlines every #/definitions/ reference; a definition that refers back to
// itself (JSONSchemaProps) is cut at the second visit and left open.
function inline(node, definitions, stack = []) {
  if (Array.isArray(node)) return node.map((n) => inline(n, definitions, stack));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace(/^#\/definitions\//, '');
    if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return { ...QUANTITY };
    if (stack.includes(name)) return {};
    const target = definitions[name];
    if (!target) fail(`unresolved reference ${node.$ref}`);
    const { $ref: _ref, ...siblings } = node;
    return { ...inline(target, definitions, [...stack, name]), ...siblings };
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, inline(v, definitions, stack)]),
      );
    } else {
      out[key] = key === 'enum' || key === 'required' ? value : inline(value, definitions, stack);
    }
  }
  return out;
}

function pinTypeFields(schema, group, version, kind) {
  const properties = { ...(schema.properties ?? {}) };
  properties.apiVersion = {
    ...(properties.apiVersion ?? { type: 'string' }),
    enum: [apiVersionOf(group, version)],
  };
  properties.kind = { ...(properties.kind ?? { type: 'string' }), enum: [kind] };
  const required = new Set([...(schema.required ?? []), 'apiVersion', 'kind']);
  return { ...schema, properties, required: [...required] };
}

function write(outDir, kind, group, version, schema, written) {
  const file = `${kind.toLowerCase()}${kindSuffix(group, version)}.json`;
  const previous = written.get(file);
  if (previous) {
    process.stderr.write(
      `openapi2jsonschema: ${file}: ${apiVersionOf(group, version)} ${kind} shadowed by ${previous}\n`,
    );
    return;
  }
  written.set(file, `${apiVersionOf(group, version)} ${kind}`);
  writeFileSync(join(outDir, file), `${JSON.stringify(schema)}\n`);
}

function builtins(specPath, outDir) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const definitions =
    spec.definitions ?? fail(`${specPath}: no definitions (not an OpenAPI v2 document)`);
  mkdirSync(outDir, { recursive: true });
  const written = new Map();
  // Stable API groups first, so a deprecated copy of a kind never shadows the stable one.
  const names = Object.keys(definitions).sort(
    (a, b) =>
      Number(a.includes('beta') || a.includes('alpha')) -
        Number(b.includes('beta') || b.includes('alpha')) || a.localeCompare(b),
  );
  for (const name of names) {
    const gvks = definitions[name]['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks) || gvks.length !== 1) continue;
    const [{ group, version, kind }] = gvks;
    const schema = pinTypeFields(
      strictify(inline(definitions[name], definitions, [name])),
      group,
      version,
      kind,
    );
    write(outDir, kind, group, version, schema, written);
  }
  // ObjectMeta on its own, for the CRD step.
  const objectMeta = strictify(
    inline(definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], definitions),
  );
  writeFileSync(join(outDir, '_objectmeta.json'), `${JSON.stringify(objectMeta)}\n`);
  process.stdout.write(`${written.size} Kubernetes schemas written to ${outDir}\n`);
}

function crds(outDir, objectMetaPath, files) {
  const objectMeta = JSON.parse(readFileSync(objectMetaPath, 'utf8'));
  mkdirSync(outDir, { recursive: true });
  const written = new Map();
  for (const file of files) {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const items =
      doc.kind === 'CustomResourceDefinitionList' || Array.isArray(doc.items) ? doc.items : [doc];
    for (const crd of items) {
      if (crd.kind !== 'CustomResourceDefinition')
        fail(`${file}: expected a CustomResourceDefinition, found ${crd.kind}`);
      const { group, names, versions } = crd.spec;
      for (const v of versions ?? []) {
        const openApi = v.schema?.openAPIV3Schema;
        if (!v.served || !openApi) continue;
        const schema = strictify(openApi);
        schema.properties = { ...schema.properties, metadata: objectMeta };
        schema.additionalProperties = false;
        write(
          outDir,
          names.kind,
          group,
          v.name,
          pinTypeFields(schema, group, v.name, names.kind),
          written,
        );
      }
    }
  }
  process.stdout.write(
    `${written.size} CRD schemas written to ${outDir}: ${[...written.values()].join(', ')}\n`,
  );
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'builtins' && args.length === 2) builtins(args[0], args[1]);
else if (mode === 'crds' && args.length >= 3) crds(args[0], args[1], args.slice(2));
else
  fail(
    'usage: openapi2jsonschema.mjs builtins <swagger.json> <out-dir> | crds <out-dir> <objectmeta.json> <crd.json>...',
  );
