#!/usr/bin/env bash
# The image checks of `make test`, with no Docker engine: builds the /app bundle
# of each service with scripts/bundle-service.sh (the script the Dockerfile runs)
# into a temporary folder, then checks what the image would hold: dist/main.js,
# no devDependencies, every dependency at its pnpm-lock.yaml version, workspace
# packages as compiled JavaScript only, the Kafka native addon loading with SSL
# and SCRAM, the event schemas embedded in code, and the service itself starting
# from the bundle with plain `node dist/main.js` (no --conditions), as the
# image's CMD does. The npm registry is asked only for metadata not yet cached.
#
# Usage: scripts/check-image-bundle.sh [service...]
# Default: every agent the chart deploys (helm/paxfleet/values.yaml components),
# about 6 s each once `make build` has compiled; coordinator, research and
# content together use every library, for a quicker run.
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ -d .tools/bin ]] && PATH="$ROOT/.tools/bin:$PATH"

# The agents the chart deploys, in helm/paxfleet/values.yaml's `components`.
chart_agents() {
  awk '/^components:/ { on = 1; next } on && /^[^ #]/ { on = 0 } on && /^  [a-z][a-z0-9-]*:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' \
    helm/paxfleet/values.yaml
}

if [[ $# -gt 0 ]]; then
  services=("$@")
else
  mapfile -t services < <(chart_agents)
fi

WORK="$(mktemp -d)"
service_pid=""
cleanup() {
  [[ -n "$service_pid" ]] && kill -KILL "$service_pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=scripts/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/check.sh"

# The image's environment (Dockerfile ENV) and nothing from this shell.
IMAGE_ENV=(env -i PATH="$PATH" NODE_ENV=production PORT=8080 HOST=0.0.0.0 UV_THREADPOOL_SIZE=16)

cat >"$WORK/inspect.mjs" <<'EOF'
// node inspect.mjs <what> <bundle-dir> <repo-root>
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [what, bundle, root] = process.argv.slice(2);
const store = join(bundle, 'node_modules', '.pnpm');
const json = (file) => JSON.parse(readFileSync(file, 'utf8'));
const fail = (message) => {
  console.log(message);
  process.exit(1);
};

/** Every package installed in the bundle: [name, dir] for real (not linked) folders. */
function installed() {
  const found = [];
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const child of readdirSync(modules)) {
      const dirs = child.startsWith('@')
        ? readdirSync(join(modules, child)).map((name) => join(modules, child, name))
        : [join(modules, child)];
      for (const dir of dirs) {
        if (lstatSync(dir).isSymbolicLink() || !existsSync(join(dir, 'package.json'))) continue;
        found.push([json(join(dir, 'package.json')).name, dir]);
      }
    }
  }
  return found;
}

function files(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

const checks = {
  entry() {
    const manifest = json(join(bundle, 'package.json'));
    if (manifest.type !== 'module') fail(`package.json type is ${manifest.type}, not module`);
    if (!statSync(join(bundle, 'dist', 'main.js')).isFile()) fail('no dist/main.js');
    console.log(`${manifest.name}@${manifest.version}: dist/main.js`);
  },

  devDependencies() {
    const manifests = [join(root, 'package.json')];
    for (const group of ['libs', 'services']) {
      for (const name of readdirSync(join(root, group))) {
        const file = join(root, group, name, 'package.json');
        if (existsSync(file)) manifests.push(file);
      }
    }
    // Development tools: devDependencies of the workspace that no package needs in production.
    const production = new Set(manifests.flatMap((file) => Object.keys(json(file).dependencies ?? {})));
    const dev = new Set(
      manifests
        .flatMap((file) => Object.keys(json(file).devDependencies ?? {}))
        .filter((name) => !production.has(name) && !name.startsWith('@paxfleet/')),
    );
    for (const tool of ['typescript', 'eslint', 'prettier', 'typescript-eslint', '@types/node']) dev.add(tool);
    const packages = installed();
    // A tool that a production package itself depends on (protobufjs needs @types/node) belongs.
    const required = new Set(packages.flatMap(([, dir]) => Object.keys(json(join(dir, 'package.json')).dependencies ?? {})));
    const found = packages.filter(
      ([name]) => (dev.has(name) && !required.has(name)) || name.startsWith('@typescript-eslint/'),
    );
    if (found.length > 0) fail(`devDependencies in the bundle: ${found.map(([name]) => name).join(', ')}`);
    console.log(`${packages.length} packages, none of the ${dev.size} development tools (${[...dev].sort().join(', ')})`);
  },

  // The deploy resolves the service's dependencies itself; the image must hold what the tests ran.
  lockedVersions() {
    const lockfile = readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');
    const section = lockfile.slice(lockfile.indexOf('\npackages:\n'), lockfile.indexOf('\nsnapshots:\n'));
    const locked = new Set([...section.matchAll(/^  '?((?:@[^/\s]+\/)?[^@\s']+@[^('\s:]+)'?:$/gm)].map((match) => match[1]));
    const packages = installed().filter(([name]) => !name.startsWith('@paxfleet/'));
    const unlocked = packages
      .map(([name, dir]) => `${name}@${json(join(dir, 'package.json')).version}`)
      .filter((id) => !locked.has(id));
    if (unlocked.length > 0) fail(`not at the version in pnpm-lock.yaml: ${unlocked.join(', ')}`);
    console.log(`${packages.length} packages, each at its pnpm-lock.yaml version`);
  },

  workspaceJavaScript() {
    const packages = [
      ['(service)', bundle],
      ...installed().filter(([name]) => name.startsWith('@paxfleet/')),
    ];
    const problems = [];
    for (const [name, dir] of packages) {
      const manifest = json(join(dir, 'package.json'));
      const sources = files(dir).filter((file) => /(?<!\.d)\.[cm]?ts$/.test(file));
      if (sources.length > 0) problems.push(`${name}: TypeScript sources ${sources.join(', ')}`);
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        const runtime = typeof target === 'string' ? target : (target.import ?? target.default);
        if (!runtime) problems.push(`${name}: exports["${subpath}"] has no default or import target`);
        else if (!existsSync(join(dir, runtime))) problems.push(`${name}: exports["${subpath}"] -> ${runtime} is missing`);
      }
      const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
      for (const [bin, target] of Object.entries(bins)) {
        if (!existsSync(join(dir, target))) problems.push(`${name}: bin ${bin} -> ${target} is missing`);
      }
    }
    if (problems.length > 0) fail(problems.join('\n'));
    console.log(`${packages.length - 1} workspace packages, compiled JavaScript only, exports and bins resolve`);
  },

  kafkaAddon() {
    const client = installed().find(([name]) => name === '@confluentinc/kafka-javascript');
    if (!client) fail('@confluentinc/kafka-javascript is not in the bundle');
    const addon = files(join(client[1], 'build')).filter((file) => file.endsWith('.node'));
    if (addon.length === 0) fail(`no .node file under ${client[1]}/build`);
    const kafka = createRequire(join(client[1], 'package.json'))(client[1]);
    const missing = ['ssl', 'sasl_scram', 'sasl_plain'].filter((feature) => !kafka.features.includes(feature));
    if (missing.length > 0) fail(`librdkafka ${kafka.librdkafkaVersion} lacks ${missing.join(', ')}`);
    console.log(`${addon.map((file) => file.slice(client[1].length + 1)).join(', ')} loads: librdkafka ${kafka.librdkafkaVersion} (ssl, sasl_scram)`);
  },

  async schemasEmbedded() {
    if (existsSync(join(bundle, 'schemas'))) fail('the bundle has a schemas/ folder');
    const events = installed().find(([name]) => name === '@paxfleet/events');
    if (!events) fail('@paxfleet/events is not in the bundle');
    const entry = json(join(events[1], 'package.json')).exports['.'].default;
    const { eventRegistry } = await import(pathToFileURL(join(events[1], entry)).href);
    const registry = eventRegistry();
    for (const topic of registry.catalog.topics) registry.codecForTopic(topic.name);
    const expected = json(join(root, 'schemas', 'topics.json')).topics.length;
    if (registry.catalog.topics.length !== expected) {
      fail(`the bundle's catalog has ${registry.catalog.topics.length} topics, schemas/topics.json ${expected}`);
    }
    console.log(`no schemas/ needed: ${expected} topics and their codecs built from the compiled code`);
  },
};

await checks[what]();
EOF

bundle() { # service
  scripts/bundle-service.sh "$1" "$WORK/$1"
}

inspect() { # what service
  node "$WORK/inspect.mjs" "$1" "$WORK/$2" "$ROOT"
}

# A bad setting must stop the service naming the variable; getting there means
# the compiled entry point and every module it imports resolved from the bundle.
rejects_bad_port() { # service
  local status=0
  (cd "$WORK/$1" && "${IMAGE_ENV[@]}" PORT=abc timeout 30 node dist/main.js) >"$WORK/$1.port.log" 2>&1 || status=$?
  cat "$WORK/$1.port.log"
  if [[ "$status" -eq 0 ]]; then
    echo "exited 0 with PORT=abc"
    return 1
  fi
  if grep -Eq 'ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED|ERR_DLOPEN_FAILED|Cannot find (module|package)' "$WORK/$1.port.log"; then
    echo "a module did not resolve"
    return 1
  fi
  local line
  line="$(grep -E '(^|[^A-Za-z_])PORT([^A-Za-z_]|$)' "$WORK/$1.port.log" | grep -v '^ *at ' | head -n 1)" || {
    echo "exit status $status but no message naming PORT"
    return 1
  }
  echo "exit $status: ${line#"${line%%[! ]*}"}"
}

# Started as the image starts it, with Kafka unreachable: the HTTP side comes up
# (liveness answers) while readiness waits for the broker.
serves_healthz() { # service
  local port url status=""
  port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
  url="http://127.0.0.1:$port"
  # exec: $! is then node itself, the process to kill.
  (cd "$WORK/$1" && exec "${IMAGE_ENV[@]}" PORT="$port" HOST=127.0.0.1 KAFKA_BROKERS=127.0.0.1:9 TMPDIR="$WORK" \
    node dist/main.js) >"$WORK/$1.run.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$service_pid" 2>/dev/null || break
    status="$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => {})' "$url/healthz")"
    [[ "$status" == 200 ]] && break
    sleep 0.1
  done
  local ready
  ready="$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log("none"))' "$url/readyz")"
  kill -KILL "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
  if [[ "$status" != 200 ]]; then
    head -n 40 "$WORK/$1.run.log"
    echo "GET /healthz did not answer 200 within 10 s (last: ${status:-no answer})"
    return 1
  fi
  echo "GET /healthz 200, /readyz $ready without a broker"
}

start="$(date +%s)"
for service in "${services[@]}"; do
  check "bundle $service (scripts/bundle-service.sh)" bundle "$service"
  if [[ ! -f "$WORK/$service/package.json" ]]; then
    continue
  fi
  check "$service: package.json type module, dist/main.js" inspect entry "$service"
  check "$service: no devDependencies" inspect devDependencies "$service"
  check "$service: dependencies at their locked versions" inspect lockedVersions "$service"
  check "$service: workspace packages as JavaScript; exports and bins resolve" inspect workspaceJavaScript "$service"
  check "$service: Kafka native addon present and loads" inspect kafkaAddon "$service"
  check "$service: event schemas embedded" inspect schemasEmbedded "$service"
  check "$service: node dist/main.js with PORT=abc stops naming PORT" rejects_bad_port "$service"
  check "$service: node dist/main.js serves /healthz" serves_healthz "$service"
done

echo "image bundles checked in $(($(date +%s) - start)) s"
check_summary
