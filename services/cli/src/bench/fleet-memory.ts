// Memory of every service as the images run them (compiled, `make build`; the image's
// node flags; tracing to the Jaeger in OTEL_EXPORTER_OTLP_ENDPOINT; bodies over the S3
// bucket in BLOB_S3_BUCKET), each its own process in a directory of its own:
//   idle    the most RSS while the fleet, started and ready, waits BENCH_IDLE_SECONDS
//           (default 15) for work;
//   loaded  the most RSS while it handles a burst of BENCH_MEMORY_WORKFLOWS (default
//           300) research requests with the offline model at MODEL_OFFLINE_LATENCY_MS
//           (default 200), sampled every 200 ms, until every result is in.
// Prints a table and the `bench: idle RSS` line; results go to .run/bench/memory.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { configFragment } from '@paxfleet/core';
import { AGENTS, startFleet, stopFleet, type AgentName, type FleetProcess } from '../fleet.ts';
import { benchSettings, ResultWatch, submitAll } from './workflows.ts';

const settings = benchSettings(
  configFragment('Memory benchmark', {
    BENCH_IDLE_SECONDS: Type.Integer({ minimum: 1, default: 15 }),
    BENCH_MEMORY_WORKFLOWS: Type.Integer({ minimum: 1, default: 300 }),
    MODEL_OFFLINE_LATENCY_MS: Type.Integer({ minimum: 1, default: 200 }),
  }),
);
const idleSeconds = settings.BENCH_IDLE_SECONDS;
const workflows = settings.BENCH_MEMORY_WORKFLOWS;
const latencyMs = settings.MODEL_OFFLINE_LATENCY_MS;
if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  console.error('OTEL_EXPORTER_OTLP_ENDPOINT is not set: memory is measured with tracing on');
  process.exit(2);
}
const repository = new URL('../../../../', import.meta.url).pathname;
const label = `memory-${randomBytes(3).toString('hex')}`;
const runDir = join(repository, '.run', 'bench-fleet', label);

/** Each process's highest RSS seen by `sample`. */
class RssSampler {
  readonly most = new Map<AgentName, number>();
  readonly #processes: readonly FleetProcess[];

  constructor(processes: readonly FleetProcess[]) {
    this.#processes = processes;
  }

  sample(): void {
    for (const process of this.#processes) {
      const rss = process.memory()?.rssMb;
      if (rss !== undefined) {
        this.most.set(process.agent, Math.max(rss, this.most.get(process.agent) ?? 0));
      }
    }
  }

  /** The service with the most, and how much. */
  top(): { agent: AgentName; mb: number } {
    let top: { agent: AgentName; mb: number } = { agent: 'coordinator', mb: 0 };
    for (const [agent, mb] of this.most) if (mb > top.mb) top = { agent, mb };
    return top;
  }
}

const topics = Array.from({ length: workflows }, (_, index) => `bench-${label}-${index}`);
const watch = new ResultWatch(topics, 'paxfleet-bench-memory');
await watch.start();
const fleet = await startFleet({
  basePort: 7190,
  logDir: join(runDir, 'logs'),
  podsDir: join(runDir, 'pods'),
  code: 'dist',
  env: {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
    OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
    MODEL_OFFLINE_LATENCY_MS: String(latencyMs),
    LOG_LEVEL: 'warn',
  },
});
let exactlyOnce: number;
const processes = [...fleet.values()];
const idle = new RssSampler(processes);
const loaded = new RssSampler(processes);
try {
  const idleUntil = Date.now() + idleSeconds * 1000;
  while (Date.now() < idleUntil) {
    idle.sample();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const coordinator = fleet.get('coordinator')?.url as string;
  const submitting = submitAll(coordinator, topics, 'make bench (memory)');
  await watch.waitForAll(600_000, () => loaded.sample());
  await submitting;
  loaded.sample();
  exactlyOnce = watch.exactlyOnce();
} finally {
  await stopFleet(fleet);
  await watch.close();
}

console.log(
  `service memory (RSS), compiled, tracing on; idle ${idleSeconds} s, then ${workflows} workflows at model latency ${latencyMs} ms (${exactlyOnce}/${workflows} results exactly once)`,
);
console.log(`${'service'.padEnd(12)} ${'idle MB'.padStart(8)} ${'loaded MB'.padStart(10)}`);
for (const agent of AGENTS) {
  console.log(
    `${agent.padEnd(12)} ${String(idle.most.get(agent) ?? '-').padStart(8)} ${String(loaded.most.get(agent) ?? '-').padStart(10)}`,
  );
}
const out = join(repository, '.run', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'memory.json'),
  `${JSON.stringify(
    {
      idleSeconds,
      workflows,
      latencyMs,
      exactlyOnce,
      idle: Object.fromEntries(idle.most),
      loaded: Object.fromEntries(loaded.most),
    },
    null,
    2,
  )}\n`,
);
const idleTop = idle.top();
const loadedTop = loaded.top();
console.log(
  `bench: idle RSS max ${idleTop.mb} MB (${idleTop.agent}), loaded RSS max ${loadedTop.mb} MB (${loadedTop.agent})`,
);
process.exit(exactlyOnce === workflows ? 0 : 1);
