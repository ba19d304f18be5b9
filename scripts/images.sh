#!/usr/bin/env bash
# Builds the image of every agent of the catalog (schemas/topics.json `agents`,
# listed by tools/src/list-agents.ts; the chart deploys the same ones), or of the
# services named as arguments, with the root Dockerfile:
#   <IMAGE_REPOSITORY>/<service>:<version in services/<service>/package.json>
# IMAGE_REPOSITORY defaults to paxfleet, the chart's image.repository.
# Needs a running Docker engine (BuildKit); extra `docker build` flags can be
# given in DOCKER_BUILD_FLAGS, e.g. "--platform linux/arm64 --push".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ -d .tools/bin ]] && PATH="$ROOT/.tools/bin:$PATH"
REPOSITORY="${IMAGE_REPOSITORY:-paxfleet}"
read -r -a extra_flags <<<"${DOCKER_BUILD_FLAGS:-}"

if ! command -v docker >/dev/null; then
  echo "images: no docker command; building images needs Docker (docker build with BuildKit)" >&2
  exit 1
fi
if ! info_error="$(docker info 2>&1 >/dev/null)"; then
  echo "images: no Docker engine answers (docker info failed: $(grep -m 1 -v '^$' <<<"$info_error"))." >&2
  echo "images: start one or point DOCKER_HOST at one; scripts/check-image-bundle.sh checks the bundles without Docker." >&2
  exit 1
fi

if [[ $# -gt 0 ]]; then
  services=("$@")
else
  # The catalog's agents, read by @paxfleet/events (needs `make install`).
  agents="$(node --conditions=paxfleet-source tools/src/list-agents.ts)"
  mapfile -t services <<<"$agents"
fi
app_version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/paxfleet/Chart.yaml)"

built=()
for service in "${services[@]}"; do
  manifest="services/$service/package.json"
  if [[ ! -f "$manifest" ]]; then
    echo "images: no $manifest" >&2
    exit 1
  fi
  version="$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$manifest")"
  if [[ "$version" != "$app_version" ]]; then
    echo "images: warning: $service is $version but the chart's appVersion is $app_version (the chart pulls :$app_version)" >&2
  fi
  tag="$REPOSITORY/$service:$version"
  echo "images: building $tag" >&2
  DOCKER_BUILDKIT=1 docker build \
    --build-arg "SERVICE=$service" \
    --build-arg "VERSION=$version" \
    --tag "$tag" \
    "${extra_flags[@]}" \
    --file Dockerfile .
  built+=("$tag")
done
printf 'images: built %s\n' "${built[@]}"
