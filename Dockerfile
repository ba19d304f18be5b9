# syntax=docker/dockerfile:1
# One image per paxfleet service:
#   docker build --build-arg SERVICE=research -t paxfleet/research:0.1.0 .
# (scripts/images.sh builds all of them.) The build stage compiles the workspace
# and makes the service's production bundle with scripts/bundle-service.sh, the
# script `make test` checks (scripts/check-image-bundle.sh); the runtime stage
# holds Node, the libraries the Kafka client links and that bundle.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# Only what `pnpm install` reads, so the install layer below is reused until a
# manifest or the lockfile changes (the Kafka client's addon takes minutes to
# build when its prebuilt binary cannot be downloaded).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name pnpm-lock.yaml ! -name pnpm-workspace.yaml ! -name .npmrc -delete \
  && find . -depth -type d -empty -delete

FROM ${NODE_IMAGE} AS build
# A compiler and librdkafka's dependencies for the Kafka client's source build,
# used when its prebuilt binary cannot be downloaded from GitHub.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    ca-certificates python3 make g++ \
    libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev \
  && rm -rf /var/lib/apt/lists/*
# Link librdkafka's dependencies from Debian rather than downloading their
# sources, and build against this Node's own headers.
ENV CKJS_LINKING=dynamic \
    npm_config_nodedir=/usr/local
WORKDIR /src
COPY --from=manifests /src/package.json ./
# The pnpm pinned in package.json's packageManager.
RUN npm install -g --no-fund --no-audit \
    "$(node -p 'require("./package.json").packageManager.split("+")[0]')"
COPY --from=manifests /src ./
RUN pnpm install --frozen-lockfile --reporter=append-only
COPY . .
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name> (a folder in services/)" >&2; exit 1; } \
  && scripts/bundle-service.sh "${SERVICE}" /out

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG VERSION=dev
# tini forwards SIGTERM to node and reaps children. The libraries are what a
# dynamically linked librdkafka needs; npm, corepack, yarn and Node's C headers
# are not needed to run.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    tini ca-certificates libssl3 libsasl2-2 zlib1g libzstd1 liblz4-1 libcurl4 \
  && rm -rf /var/lib/apt/lists/* \
  && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* /usr/local/include/node \
  && rm -f /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
  && groupadd --gid 10001 paxfleet \
  && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin paxfleet
WORKDIR /app
# Owned by root: the service cannot change its own code.
COPY --from=build /out/ ./
LABEL org.opencontainers.image.title="paxfleet-${SERVICE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.description="paxfleet ${SERVICE}: an agent of a fleet coordinating through Apache Kafka"
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    UV_THREADPOOL_SIZE=16
USER 10001:10001
# Fails the build if any import, the Kafka addon or a shared library it links is
# missing: with PORT=abc the service must stop naming PORT, which it does only
# after every module loaded (scripts/check-image-bundle.sh checks the same).
RUN out="$(PORT=abc node dist/main.js 2>&1)"; status=$?; \
  if [ "$status" -eq 0 ] \
    || printf '%s\n' "$out" | grep -Eq 'ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED|Cannot find (module|package)|ERR_DLOPEN_FAILED' \
    || ! printf '%s\n' "$out" | grep -Eq '(^|[^A-Za-z_])PORT([^A-Za-z_]|$)'; then \
    printf '%s\n' "$out" >&2; echo "image smoke test: node dist/main.js did not stop naming PORT on PORT=abc" >&2; exit 1; \
  fi
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
# --max-semi-space-size=2: the flags of SERVICE_NODE_FLAGS (services/cli/src/fleet.ts); small
# young-generation semi-spaces keep an idle service near 115 MB RSS (make bench).
CMD ["node", "--max-semi-space-size=2", "--import", "@paxfleet/telemetry/instrumentation", "dist/main.js"]
