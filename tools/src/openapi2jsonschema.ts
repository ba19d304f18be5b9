// Turns Kubernetes OpenAPI documents into the standalone, strict JSON schemas
// kubeconform reads from disk, laid out as {kind}-{group's first label}-{version}.json
// (kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json`).
//
//   node --conditions=paxfleet-source tools/src/openapi2jsonschema.ts builtins <swagger.json> <out-dir>
//       Kubernetes' own api/openapi-spec/swagger.json (OpenAPI v2): one file per
//       definition that carries x-kubernetes-group-version-kind.
//   node --conditions=paxfleet-source tools/src/openapi2jsonschema.ts crds <out-dir> <objectmeta.json> <crd>...
//       CustomResourceDefinitions, .json or YAML (one CRD or a List per document):
//       one file per served version; `metadata` is replaced by Kubernetes' ObjectMeta
//       so custom resources get the same metadata checks as built-in ones.
//
// Strict means what kubectl's validation meant: every object schema that lists its
// properties rejects unknown ones (additionalProperties: false), except where the API
// says unknown fields are preserved (openapi/strict-schema.ts).
import { readFileSync } from 'node:fs';
import { runTool } from './cli.ts';
import { readJsonFile } from './json-file.ts';
import { parseYamlDocuments } from './kubernetes-yaml.ts';
import { writeBuiltinSchemas } from './openapi/builtins.ts';
import { crdsOf, writeCrdSchemas } from './openapi/crds.ts';
import type { Json } from './openapi/json-schema.ts';
import { SchemaWriter } from './openapi/schema-writer.ts';
import { ToolError } from './tool-error.ts';

const NAME = 'openapi2jsonschema';
const USAGE =
  'usage: openapi2jsonschema.ts builtins <swagger.json> <out-dir> | crds <out-dir> <objectmeta.json> <crd.json|crd.yaml>...';

const warn = (warnings: readonly string[]) => {
  for (const warning of warnings) process.stderr.write(`${NAME}: ${warning}\n`);
};

/** The documents of a CRD file: JSON as it is, anything else as a YAML stream. */
function readDocuments(file: string): Json[] {
  if (file.endsWith('.json')) return [readJsonFile(file) as Json];
  return parseYamlDocuments(readFileSync(file, 'utf8'), file) as Json[];
}

function builtins(specFile: string, outDir: string): number {
  const { warnings, written } = writeBuiltinSchemas(
    readJsonFile(specFile) as Json,
    specFile,
    outDir,
  );
  warn(warnings);
  process.stdout.write(`${written} Kubernetes schemas written to ${outDir}\n`);
  return 0;
}

function crds(outDir: string, objectMetaFile: string, files: readonly string[]): number {
  const objectMeta = readJsonFile(objectMetaFile) as Json;
  const writer = new SchemaWriter(outDir);
  for (const file of files) {
    for (const document of readDocuments(file)) {
      for (const crd of crdsOf(document, file))
        warn(writeCrdSchemas(crd, file, objectMeta, writer));
    }
  }
  process.stdout.write(
    `${writer.resources.length} CRD schemas written to ${outDir}: ${writer.resources.join(', ')}\n`,
  );
  return 0;
}

function main([mode, ...args]: readonly string[]): number {
  const [first, second, ...rest] = args;
  if (mode === 'builtins' && first !== undefined && second !== undefined && rest.length === 0) {
    return builtins(first, second);
  }
  if (mode === 'crds' && first !== undefined && second !== undefined && rest.length > 0) {
    return crds(first, second, rest);
  }
  throw new ToolError('USAGE', USAGE);
}

await runTool(NAME, () => main(process.argv.slice(2)));
