import type { PackageManifest } from './manifest.ts';

/** Tools no image needs, whether or not a manifest lists them. */
const ALWAYS_DEVELOPMENT = ['typescript', 'eslint', 'prettier', 'typescript-eslint', '@types/node'];

/**
 * The workspace's development tools: its devDependencies that no package needs in
 * production (workspace packages aside), and the toolchain itself.
 */
export function developmentTools(workspaceManifests: readonly PackageManifest[]): Set<string> {
  const production = new Set(
    workspaceManifests.flatMap((manifest) => Object.keys(manifest.dependencies ?? {})),
  );
  const tools = new Set(
    workspaceManifests
      .flatMap((manifest) => Object.keys(manifest.devDependencies ?? {}))
      .filter((name) => !production.has(name) && !name.startsWith('@paxfleet/')),
  );
  for (const tool of ALWAYS_DEVELOPMENT) tools.add(tool);
  return tools;
}

/**
 * The development tools found among the installed packages; one that a production
 * package itself depends on (protobufjs needs @types/node) belongs in the image.
 */
export function developmentToolsIn(
  installed: readonly { readonly name: string; readonly manifest: PackageManifest }[],
  tools: ReadonlySet<string>,
): string[] {
  const required = new Set(
    installed.flatMap(({ manifest }) => Object.keys(manifest.dependencies ?? {})),
  );
  return installed
    .filter(
      ({ name }) =>
        (tools.has(name) && !required.has(name)) || name.startsWith('@typescript-eslint/'),
    )
    .map(({ name }) => name);
}
