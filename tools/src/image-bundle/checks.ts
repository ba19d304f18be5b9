import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readJsonFile } from '../json-file.ts';
import { developmentTools, developmentToolsIn } from './development-tools.ts';
import { filesUnder, installedPackages } from './installed.ts';
import { lockedPackages } from './lockfile.ts';
import { bins, readManifest, runtimeExports, type PackageManifest } from './manifest.ts';

/** What a check found wrong with the bundle: printed, and the check fails. */
export class BundleProblem extends Error {
  override readonly name = 'BundleProblem';
}

/** One check of a service's bundle; returns what it saw, throws BundleProblem otherwise. */
export type BundleCheck = (bundle: string, root: string) => string | Promise<string>;

function workspaceManifests(root: string): PackageManifest[] {
  const files = [join(root, 'package.json')];
  for (const group of ['libs', 'services']) {
    for (const name of readdirSync(join(root, group))) {
      const file = join(root, group, name, 'package.json');
      if (existsSync(file)) files.push(file);
    }
  }
  return files.map(readManifest);
}

const entry: BundleCheck = (bundle) => {
  const manifest = readManifest(join(bundle, 'package.json'));
  if (manifest.type !== 'module')
    throw new BundleProblem(`package.json type is ${manifest.type}, not module`);
  if (
    !existsSync(join(bundle, 'dist', 'main.js')) ||
    !statSync(join(bundle, 'dist', 'main.js')).isFile()
  ) {
    throw new BundleProblem('no dist/main.js');
  }
  return `${manifest.name}@${manifest.version}: dist/main.js`;
};

const devDependencies: BundleCheck = (bundle, root) => {
  const tools = developmentTools(workspaceManifests(root));
  const packages = installedPackages(bundle);
  const found = developmentToolsIn(packages, tools);
  if (found.length > 0)
    throw new BundleProblem(`devDependencies in the bundle: ${found.join(', ')}`);
  return `${packages.length} packages, none of the ${tools.size} development tools (${[...tools].sort().join(', ')})`;
};

// The deploy resolves the service's dependencies itself; the image must hold what the tests ran.
const lockedVersions: BundleCheck = (bundle, root) => {
  const locked = lockedPackages(readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8'));
  const packages = installedPackages(bundle).filter(({ name }) => !name.startsWith('@paxfleet/'));
  const unlocked = packages
    .map(({ name, manifest }) => `${name}@${manifest.version}`)
    .filter((id) => !locked.has(id));
  if (unlocked.length > 0)
    throw new BundleProblem(`not at the version in pnpm-lock.yaml: ${unlocked.join(', ')}`);
  return `${packages.length} packages, each at its pnpm-lock.yaml version`;
};

function javaScriptOnlyProblems(name: string, dir: string, manifest: PackageManifest): string[] {
  const problems: string[] = [];
  const sources = filesUnder(dir).filter((file) => /(?<!\.d)\.[cm]?ts$/.test(file));
  if (sources.length > 0) problems.push(`${name}: TypeScript sources ${sources.join(', ')}`);
  for (const [subpath, runtime] of runtimeExports(manifest)) {
    if (!runtime) problems.push(`${name}: exports["${subpath}"] has no default or import target`);
    else if (!existsSync(join(dir, runtime)))
      problems.push(`${name}: exports["${subpath}"] -> ${runtime} is missing`);
  }
  for (const [bin, target] of Object.entries(bins(manifest))) {
    if (!existsSync(join(dir, target)))
      problems.push(`${name}: bin ${bin} -> ${target} is missing`);
  }
  return problems;
}

const workspaceJavaScript: BundleCheck = (bundle) => {
  const workspace = installedPackages(bundle).filter(({ name }) => name.startsWith('@paxfleet/'));
  const problems = [
    ...javaScriptOnlyProblems('(service)', bundle, readManifest(join(bundle, 'package.json'))),
    ...workspace.flatMap(({ name, dir, manifest }) => javaScriptOnlyProblems(name, dir, manifest)),
  ];
  if (problems.length > 0) throw new BundleProblem(problems.join('\n'));
  return `${workspace.length} workspace packages, compiled JavaScript only, exports and bins resolve`;
};

interface KafkaClient {
  readonly features: readonly string[];
  readonly librdkafkaVersion: string;
}

const kafkaAddon: BundleCheck = (bundle) => {
  const client = installedPackages(bundle).find(
    ({ name }) => name === '@confluentinc/kafka-javascript',
  );
  if (!client) throw new BundleProblem('@confluentinc/kafka-javascript is not in the bundle');
  const addon = filesUnder(join(client.dir, 'build')).filter((file) => file.endsWith('.node'));
  if (addon.length === 0) throw new BundleProblem(`no .node file under ${client.dir}/build`);
  const kafka = createRequire(join(client.dir, 'package.json'))(client.dir) as KafkaClient;
  const missing = ['ssl', 'sasl_scram', 'sasl_plain'].filter(
    (feature) => !kafka.features.includes(feature),
  );
  if (missing.length > 0) {
    throw new BundleProblem(`librdkafka ${kafka.librdkafkaVersion} lacks ${missing.join(', ')}`);
  }
  const names = addon.map((file) => file.slice(client.dir.length + 1)).join(', ');
  return `${names} loads: librdkafka ${kafka.librdkafkaVersion} (ssl, sasl_scram)`;
};

interface BundledEvents {
  readonly eventRegistry: () => {
    readonly catalog: { readonly topics: readonly { readonly name: string }[] };
    codecForTopic(topic: string): unknown;
  };
}

const schemasEmbedded: BundleCheck = async (bundle, root) => {
  if (existsSync(join(bundle, 'schemas')))
    throw new BundleProblem('the bundle has a schemas/ folder');
  const events = installedPackages(bundle).find(({ name }) => name === '@paxfleet/events');
  if (!events) throw new BundleProblem('@paxfleet/events is not in the bundle');
  const main = runtimeExports(events.manifest).find(([subpath]) => subpath === '.')?.[1];
  if (!main) throw new BundleProblem('@paxfleet/events exports no "." entry');
  const { eventRegistry } = (await import(
    pathToFileURL(join(events.dir, main)).href
  )) as BundledEvents;
  const registry = eventRegistry();
  for (const topic of registry.catalog.topics) registry.codecForTopic(topic.name);
  const expected = (readJsonFile(join(root, 'schemas', 'topics.json')) as { topics: unknown[] })
    .topics.length;
  if (registry.catalog.topics.length !== expected) {
    throw new BundleProblem(
      `the bundle's catalog has ${registry.catalog.topics.length} topics, schemas/topics.json ${expected}`,
    );
  }
  return `no schemas/ needed: ${expected} topics and their codecs built from the compiled code`;
};

/** The checks by the name scripts/check-image-bundle.sh gives them. */
export const bundleChecks: Readonly<Record<string, BundleCheck>> = {
  entry,
  devDependencies,
  lockedVersions,
  workspaceJavaScript,
  kafkaAddon,
  schemasEmbedded,
};
