import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, type PackageManifest } from './manifest.ts';

/** A package installed in a bundle: its name, folder and manifest. */
export interface InstalledPackage {
  readonly name: string;
  readonly dir: string;
  readonly manifest: PackageManifest;
}

/** Every package in a bundle's node_modules/.pnpm store, in real (not linked) folders. */
export function installedPackages(bundle: string): InstalledPackage[] {
  const store = join(bundle, 'node_modules', '.pnpm');
  const found: InstalledPackage[] = [];
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const child of readdirSync(modules)) {
      const dirs = child.startsWith('@')
        ? readdirSync(join(modules, child)).map((name) => join(modules, child, name))
        : [join(modules, child)];
      for (const dir of dirs) {
        const file = join(dir, 'package.json');
        if (lstatSync(dir).isSymbolicLink() || !existsSync(file)) continue;
        const manifest = readManifest(file);
        found.push({ name: manifest.name ?? dir, dir, manifest });
      }
    }
  }
  return found;
}

/** Every file under a folder, not descending into node_modules. */
export function filesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') filesUnder(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
