# paxfleet: one entry point for the toolchain, the local broker, the fleet and the tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/.tools/bin:$(PATH)
# Every librdkafka consumer blocks a libuv worker thread in its consume loop; with
# Node's default of 4, a process with a few consumers stalls in 100 ms steps.
export UV_THREADPOOL_SIZE ?= 16

WORKSPACE_MANIFESTS := package.json pnpm-lock.yaml pnpm-workspace.yaml .node-version \
	$(wildcard libs/*/package.json services/*/package.json test/package.json bench/package.json tools/package.json)
INSTALLED := node_modules/.paxfleet-installed

.PHONY: help install build typecheck lint format format-check test test-unit test-int test-k8s \
	test-images test-alerts test-interop test-fuzz images timeline replay blobs-sweep bench-fleet kafka-up kafka-down topics demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(INSTALLED): $(WORKSPACE_MANIFESTS) scripts/toolchain.sh scripts/install.sh
	@scripts/install.sh
	@touch $@

install: $(INSTALLED) ## install node 24, pnpm and the workspace's dependencies

build typecheck: $(INSTALLED) ## type-check and compile every package (tsc -b)
	@pnpm run --silent typecheck

lint: $(INSTALLED) ## eslint with type-aware rules; dependency-cruiser: no import cycle, no library importing a service, no service importing another
	@pnpm run --silent lint

format: $(INSTALLED) ## rewrite files with prettier
	@pnpm run --silent format

format-check: $(INSTALLED)
	@pnpm run --silent format:check

test: typecheck lint format-check test-unit test-interop test-k8s test-alerts test-images test-int test-fuzz ## everything CI runs

test-unit: $(INSTALLED) ## unit tests (no broker)
	@pnpm run --silent test:unit

test-interop: $(INSTALLED) ## our Avro encoding and archive objects read and written by Apache Avro for Java (jars from Maven Central, cached in .tools/)
	@classpath="$$(scripts/avro-java.sh classpath)"; \
		AVRO_JAVA_CLASSPATH="$$classpath" pnpm --filter @paxfleet/events -s run test:interop; \
		AVRO_JAVA_CLASSPATH="$$classpath" pnpm --filter @paxfleet/archive -s run test:interop

test-int: $(INSTALLED) ## integration tests on a real broker, S3 server, Jaeger and embeddings model (started and stopped here unless KAFKA_BROKERS, BLOB_S3_BUCKET, OTEL_EXPORTER_OTLP_ENDPOINT and JAEGER_QUERY_URL, MODEL_BASE_URL are set), the dashboard's in Debian's Chromium (installed by scripts/chromium.sh if missing)
	@chromium="$$(scripts/chromium.sh)"; \
		CHROMIUM="$$chromium" scripts/with-kafka.sh scripts/with-s3.sh scripts/with-jaeger.sh scripts/with-embeddings.sh pnpm run --silent test:int

test-fuzz: $(INSTALLED) ## Schemathesis (from PyPI, cached in .tools/) against a real coordinator on a real broker, from its /openapi.json: no 5xx, every answer as documented (FUZZ_EXAMPLES per operation, FUZZ_SEED)
	@schemathesis="$$(scripts/schemathesis.sh)"; \
		SCHEMATHESIS="$$schemathesis" scripts/with-kafka.sh node --conditions=paxfleet-source test/src/api-fuzz.ts

test-k8s: $(INSTALLED) ## helm lint/template, kubeconform (offline schemas), manifest policy and drift checks
	@scripts/check-k8s.sh

test-alerts: $(INSTALLED) ## promtool check/test of helm/paxfleet/files/alerts.yml, its runbook links, and the Grafana dashboard's JSON, PromQL and metric names (installs promtool from Debian's prometheus package if missing)
	@scripts/check-alerts.sh

test-images: $(INSTALLED) ## each service's image bundle, built by the Dockerfile's commands, checked and started (no Docker)
	@scripts/check-image-bundle.sh

images: $(INSTALLED) ## build paxfleet/<agent>:<version> for every agent of schemas/topics.json (needs a Docker engine)
	@scripts/images.sh

bench: build ## benchmarks on one local broker, S3 server and Jaeger (figures go in README.md)
	@scripts/with-kafka.sh scripts/with-s3.sh scripts/with-jaeger.sh pnpm -r --workspace-concurrency=1 --if-present run bench

bench-overlap: $(INSTALLED) ## precision and recall of each overlap method on labelled topic pairs (OVERLAP_PAIRS, default libs/overlap/data/topic-pairs.tsv): one bench-overlap: line per method; embeddings from MODEL_BASE_URL, else a local all-MiniLM-L6-v2
	@scripts/with-embeddings.sh node --conditions=paxfleet-source libs/overlap/src/bench/bench-overlap.ts

bench-fleet: $(INSTALLED) ## the fleet under a burst of research requests: one bench-fleet: line at concurrency 1 and at the default (MODEL_OFFLINE_LATENCY_MS, BENCH_WORKFLOWS, BENCH_SERIAL_WORKFLOWS)
	@scripts/fleet-run.sh bench/fleet-throughput.ts

demo: $(INSTALLED) ## run the fleet on one machine (local broker unless KAFKA_BROKERS is set; DEMO_ARGS=--once)
	@scripts/fleet-run.sh demo.ts $(DEMO_ARGS)

timeline: $(INSTALLED) ## one workflow from the cold archive and every topic, in time order (paxfleet timeline): make timeline WORKFLOW=workflow_7k2p9x0q (archive: BLOB_STORE as for the archiver, or ARCHIVE_DIR)
	@pnpm -s paxfleet timeline $(WORKFLOW)

replay: $(INSTALLED) ## re-run one workflow in a shadow namespace with its recorded model outputs and print what differs: make replay WORKFLOW=workflow_7k2p9x0q [ARGS='--set seo.AGENT_PROMPT_NOTE=... --live']
	@pnpm -s paxfleet replay $(WORKFLOW) $(ARGS)

blobs-sweep: $(INSTALLED) ## delete blobs and archive objects older than the catalog keeps them (BLOB_STORE, BLOB_S3_* as for the agents)
	@pnpm --filter @paxfleet/cli -s run blobs:sweep

topics: $(INSTALLED) ## apply schemas/topics.json to the cluster in KAFKA_BROKERS
	@pnpm --filter @paxfleet/events -s run topics:apply

kafka-up: ## start a local Kafka broker on 127.0.0.1 (KAFKA_PORT, KAFKA_DATA_DIR)
	@scripts/kafka.sh up

kafka-down: ## stop the local Kafka broker and delete its data
	@scripts/kafka.sh down

clean: ## remove build outputs (keeps downloaded tools)
	@rm -rf node_modules libs/*/node_modules services/*/node_modules test/node_modules tools/node_modules libs/*/dist services/*/dist test/dist tools/dist
	@rm -f libs/*/tsconfig.tsbuildinfo services/*/tsconfig.tsbuildinfo test/tsconfig.tsbuildinfo tools/tsconfig.tsbuildinfo
