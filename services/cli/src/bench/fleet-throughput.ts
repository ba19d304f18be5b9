// make bench-fleet: the fleet as the demo runs it (the coordinator and one instance
// of each agent, separate processes in directories of their own), with the offline
// model at MODEL_OFFLINE_LATENCY_MS (default 1000). For concurrency 1 and then the
// agents' default concurrency, it submits a burst of research requests as fast as the
// coordinator accepts them (honouring 429 and Retry-After), waits for every content
// result, checks each topic has exactly one, and prints one bench-fleet: line each.
//   BENCH_WORKFLOWS (default 1000) for the default concurrency, BENCH_SERIAL_WORKFLOWS
//   (default 20) for concurrency 1: one event at a time, a full burst takes most of an hour.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { DEFAULT_AGENT_CONCURRENCY } from '@paxfleet/agent-kit';
import { configFragment } from '@paxfleet/core';
import { startFleet, stopFleet, type FleetProcess } from '../fleet.ts';
import { benchSettings, ResultWatch, submitAll } from './workflows.ts';

const settings = benchSettings(
  configFragment('Fleet benchmark', {
    MODEL_OFFLINE_LATENCY_MS: Type.Integer({ minimum: 1, default: 1000 }),
    BENCH_WORKFLOWS: Type.Integer({ minimum: 1, default: 1000 }),
    BENCH_SERIAL_WORKFLOWS: Type.Integer({ minimum: 1, default: 20 }),
    AGENT_CONCURRENCY: Type.Integer({ minimum: 1, default: DEFAULT_AGENT_CONCURRENCY }),
  }),
);
const latencyMs = settings.MODEL_OFFLINE_LATENCY_MS;
const burst = settings.BENCH_WORKFLOWS;
const serialBurst = settings.BENCH_SERIAL_WORKFLOWS;
const concurrency = settings.AGENT_CONCURRENCY;
const repository = new URL('../../../../', import.meta.url).pathname;
const runDir = join(
  repository,
  '.run',
  'bench-fleet',
  new Date().toISOString().replace(/[:.]/g, '-'),
);

interface Outcome {
  readonly seconds: number;
  readonly latencies: number[];
  readonly exactlyOnce: number;
  readonly maxRssMb: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The most memory any process of the fleet has held (VmHWM), in MB. */
function maxRssMb(processes: readonly FleetProcess[]): number {
  return Math.max(0, ...processes.map((process) => process.memory()?.peakMb ?? 0));
}

async function run(agentConcurrency: number, workflows: number): Promise<Outcome> {
  const label = `c${agentConcurrency}-${randomBytes(3).toString('hex')}`;
  const topics = Array.from({ length: workflows }, (_, index) => `bench-${label}-${index}`);
  const watch = new ResultWatch(topics, 'paxfleet-bench-fleet');
  await watch.start();
  const fleet = await startFleet({
    basePort: 7170,
    logDir: join(runDir, label, 'logs'),
    podsDir: join(runDir, label, 'pods'),
    env: {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      MODEL_OFFLINE_LATENCY_MS: String(latencyMs),
      AGENT_CONCURRENCY: String(agentConcurrency),
      LOG_LEVEL: 'warn',
    },
  });
  try {
    const coordinator = fleet.get('coordinator')?.url as string;
    const started = Date.now();
    const submitted = await submitAll(coordinator, topics, 'make bench-fleet');
    await watch.waitForAll(Math.max(600_000, workflows * 10_000));
    const last = Math.max(...[...watch.results.values()].map((times) => times[0] ?? 0));
    // A late duplicate would show up within a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const latencies = topics
      .filter((topic) => watch.results.has(topic))
      .map((topic) => (watch.results.get(topic)?.[0] ?? 0) - (submitted.get(topic) ?? 0))
      .sort((a, b) => a - b);
    return {
      seconds: (last - started) / 1000,
      latencies,
      exactlyOnce: watch.exactlyOnce(),
      maxRssMb: maxRssMb([...fleet.values()]),
    };
  } finally {
    await stopFleet(fleet);
    await watch.close();
  }
}

let failed = false;
for (const [agentConcurrency, workflows] of [
  [1, serialBurst],
  [concurrency, burst],
] as const) {
  const outcome = await run(agentConcurrency, workflows);
  const rate = outcome.latencies.length / outcome.seconds;
  console.log(
    `bench-fleet: ${workflows} workflows, model latency ${latencyMs} ms, concurrency ${agentConcurrency}: all results in ${outcome.seconds.toFixed(1)} s, ${rate.toFixed(1)} workflows/s, task-to-result p50 ${percentile(outcome.latencies, 50)} ms p99 ${percentile(outcome.latencies, 99)} ms, results exactly once ${outcome.exactlyOnce}/${workflows}, max RSS ${outcome.maxRssMb} MB`,
  );
  if (outcome.exactlyOnce !== workflows) failed = true;
}
process.exit(failed ? 1 : 0);
