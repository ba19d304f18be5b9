#!/usr/bin/env bash
# Builds one service's production bundle, the /app of its image: the service
# and the workspace libraries it uses compiled to JavaScript (tsc -b follows
# the service's project references), then `pnpm deploy --prod` copies the
# package with production node_modules only, workspace libraries included with
# their dist/. The Dockerfile runs this script and scripts/check-image-bundle.sh
# runs it too, so the check tests the commands the image is built with.
#
# Usage: scripts/bundle-service.sh <service> <out-dir>
# Needs the workspace installed (`pnpm install --frozen-lockfile`) and, on the
# first run, the npm registry for package metadata.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <service> <out-dir>" >&2
  exit 2
fi
service="$1"
out="$(realpath -m "$2")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[[ -d .tools/bin ]] && PATH="$root/.tools/bin:$PATH"

if [[ ! -f "services/$service/package.json" ]]; then
  echo "bundle-service: no services/$service/package.json" >&2
  exit 2
fi
if [[ -e "$out" && -n "$(ls -A "$out")" ]]; then
  echo "bundle-service: $out is not empty" >&2
  exit 2
fi

pnpm exec tsc -b "services/$service"
if [[ ! -f "services/$service/dist/main.js" ]]; then
  echo "bundle-service: tsc -b services/$service emitted no dist/main.js (is src/main.ts missing?)" >&2
  exit 1
fi

mkdir -p "$out"

# The legacy deploy also links bins into <project>/<path from the workspace to
# $out>/node_modules for every workspace project (pnpm/pnpm#10981, #11246), e.g.
# ./tmp/... inside the repository. Those folders are noted before the deploy and
# removed after it: the highest one of each path that does not exist yet.
stray=()
rel="$(realpath -m --relative-to="$root" "$out")"
for project in "$root" "$root"/libs/* "$root"/services/* "$root"/test; do
  [[ -f "$project/package.json" ]] || continue
  dir="$(realpath -m "$project/$rel/node_modules")"
  [[ "$dir" == "$out" || "$dir" == "$out"/* ]] && continue
  top=""
  while [[ ! -e "$dir" ]]; do
    top="$dir"
    dir="$(dirname "$dir")"
  done
  [[ -n "$top" ]] && stray+=("$top")
done

# --legacy: pnpm 10's default deploy needs inject-workspace-packages in the
# lockfile; the legacy one copies workspace packages as they are (with dist/).
# --prefer-offline: packages come from the store `pnpm install` filled, including
# the Kafka client's built native addon (pnpm's side-effects cache); the legacy
# deploy resolves versions again and fetches registry metadata that a
# `--frozen-lockfile` install never cached (only on the first run: it is cached
# then). scripts/check-image-bundle.sh checks the result matches pnpm-lock.yaml.
pnpm --filter "@paxfleet/$service" deploy --prod --legacy --prefer-offline --reporter=append-only "$out"
for dir in "${stray[@]}"; do
  rm -rf "$dir"
done

# Workspace packages are copied whole; at runtime only dist/ and package.json
# count. Removing the TypeScript sources makes any runtime use of them fail here.
prune_workspace_package() { # dir
  rm -rf "$1/src" "$1/tsconfig.json" "$1"/*.tsbuildinfo
  find "$1/dist" -name '*.spec.*' -delete 2>/dev/null || true
}
prune_workspace_package "$out"
for dir in "$out"/node_modules/.pnpm/@paxfleet+*/node_modules/@paxfleet/*; do
  [[ -d "$dir" && ! -L "$dir" ]] && prune_workspace_package "$dir"
done

# The Kafka client's package holds librdkafka's sources and, after a source
# build, its objects and static archives (over 100 MB). Kept: lib/, the addon
# build/Release/*.node and, when linked dynamically, build/deps/librdkafka*.so*
# (the addon's RUNPATH is $ORIGIN/../deps).
for ckjs in "$out"/node_modules/.pnpm/@confluentinc+kafka-javascript@*/node_modules/@confluentinc/kafka-javascript; do
  [[ -d "$ckjs" ]] || continue
  rm -rf "$ckjs/deps" "$ckjs/src" "$ckjs/build/Release/obj.target" "$ckjs/build/Release/.deps"
  if [[ -d "$ckjs/build/deps" ]]; then
    find "$ckjs/build/deps" -mindepth 1 -maxdepth 1 ! -name 'librdkafka*.so*' -exec rm -rf {} +
  fi
  find "$ckjs/build" -maxdepth 1 -type f -delete
done

echo "bundle-service: $service -> $out ($(du -sm "$out" | cut -f1) MB)"
