import { readJsonFile } from '../json-file.ts';

type ExportTarget =
  | string
  | { readonly import?: string; readonly default?: string; readonly [condition: string]: unknown };

/** The fields of a package.json the bundle checks read. */
export interface PackageManifest {
  readonly name?: string;
  readonly version?: string;
  readonly type?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly exports?: string | Readonly<Record<string, ExportTarget>>;
  readonly bin?: string | Readonly<Record<string, string>>;
}

export const readManifest = (file: string) => readJsonFile(file) as PackageManifest;

/** Each export's subpath and the file Node loads for it at runtime (import, else default). */
export function runtimeExports(manifest: PackageManifest): [string, string | undefined][] {
  const exports =
    typeof manifest.exports === 'string' ? { '.': manifest.exports } : (manifest.exports ?? {});
  return Object.entries(exports).map(([subpath, target]) => [
    subpath,
    typeof target === 'string' ? target : (target.import ?? target.default),
  ]);
}

/** The package's bins by name. */
export function bins(manifest: PackageManifest): Record<string, string> {
  if (typeof manifest.bin === 'string') return { [manifest.name ?? '']: manifest.bin };
  return { ...manifest.bin };
}
