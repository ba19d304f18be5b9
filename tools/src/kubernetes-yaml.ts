import { Document, parseAllDocuments, visit, type DocumentOptions, type SchemaOptions } from 'yaml';
import { ToolError } from './tool-error.ts';

/**
 * YAML as Kubernetes, Helm and kubectl read it (sigs.k8s.io/yaml, YAML 1.1): yes, on and y
 * are booleans, << merges; timestamps stay strings, as that decoder leaves them.
 */
const KUBERNETES_YAML: DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) =>
    tags.filter(
      (tag) =>
        typeof tag === 'string' ||
        (tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME'),
    ),
};

/**
 * Every document of a YAML stream (`---` separated, e.g. `helm template` output) as plain
 * values; empty documents are left out. `source` names the input in errors.
 */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const values: unknown[] = [];
  for (const document of parseAllDocuments(text, KUBERNETES_YAML)) {
    const [error] = document.errors;
    if (error) throw new ToolError('YAML_INVALID', `${source}: ${error.message}`, { cause: error });
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** A string written without quotes: a name or a path, never a word YAML 1.1 reads as a boolean or null. */
function plainString(text: string): boolean {
  return (
    /^[A-Za-z_/][A-Za-z0-9._/-]*$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|y|n)$/i.test(text)
  );
}

/**
 * Plain data (maps, lists, strings, numbers, booleans) as a YAML document: lists not
 * indented under their key, and every string that is not a plain name double-quoted.
 */
export function toKubernetesYaml(value: unknown): string {
  const document = new Document(value, KUBERNETES_YAML);
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !plainString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString({ indentSeq: false, lineWidth: 0 });
}
