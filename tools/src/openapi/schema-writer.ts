import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiVersionOf, schemaFileName, type GroupVersionKind, type Json } from './json-schema.ts';

/** Writes one schema file per kind and version into a folder; the first of a file name wins. */
export class SchemaWriter {
  readonly #dir: string;
  readonly #written = new Map<string, string>();

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  /** Writes the schema of a resource; returns a warning instead when a file of that name was written already. */
  write(gvk: GroupVersionKind, schema: Json): string | undefined {
    const file = schemaFileName(gvk);
    const resource = `${apiVersionOf(gvk)} ${gvk.kind}`;
    const previous = this.#written.get(file);
    if (previous) return `${file}: ${resource} shadowed by ${previous}`;
    this.#written.set(file, resource);
    writeSchema(join(this.#dir, file), schema);
    return undefined;
  }

  /** The resources written, e.g. "apps/v1 Deployment", in the order they were. */
  get resources(): string[] {
    return [...this.#written.values()];
  }
}

export function writeSchema(path: string, schema: Json): void {
  writeFileSync(path, `${JSON.stringify(schema)}\n`);
}
