// make bench-fleet: the fleet as the demo runs it (the coordinator and one instance
// of each agent, separate processes in directories of their own), with the offline
// model at MODEL_OFFLINE_LATENCY_MS (default 1000). For concurrency 1 and then the
// agents' default concurrency, it submits a burst of research requests as fast as the
// coordinator accepts them (honouring 429 and Retry-After), waits for every content
// result, checks each topic has exactly one, and prints one bench-fleet: line each.
//   BENCH_WORKFLOWS (default 1000) for the default concurrency, BENCH_SERIAL_WORKFLOWS
//   (default 20) for concurrency 1: one event at a time, a full burst takes most of an hour.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_AGENT_CONCURRENCY } from '@paxfleet/agent-kit';
import { eventRegistry } from '@paxfleet/events';
import { kafkaConnectionFromEnv, PartitionReader } from '@paxfleet/kafka';
import { startFleet, stopFleet, type FleetProcess } from '../fleet.ts';

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer (got "${text}")`);
    process.exit(2);
  }
  return value;
}

const latencyMs = positiveInteger('MODEL_OFFLINE_LATENCY_MS', 1000);
const burst = positiveInteger('BENCH_WORKFLOWS', 1000);
const serialBurst = positiveInteger('BENCH_SERIAL_WORKFLOWS', 20);
const concurrency = positiveInteger('AGENT_CONCURRENCY', DEFAULT_AGENT_CONCURRENCY);
const repository = new URL('../../../../', import.meta.url).pathname;
const runDir = join(
  repository,
  '.run',
  'bench-fleet',
  new Date().toISOString().replace(/[:.]/g, '-'),
);
const registry = eventRegistry();
const connection = kafkaConnectionFromEnv(process.env, 'paxfleet-bench-fleet');

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
  let most = 0;
  for (const process of processes) {
    try {
      const status = readFileSync(`/proc/${process.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      most = Math.max(most, kb / 1024);
    } catch {
      // Not Linux, or the process is gone: no figure from it.
    }
  }
  return Math.round(most);
}

async function submit(coordinator: string, topic: string): Promise<number> {
  for (;;) {
    const response = await fetch(`${coordinator}/research`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic, brief: 'bench-fleet', requested_by: 'make bench-fleet' }),
    }).catch(() => undefined);
    if (response?.status === 202) {
      await response.body?.cancel();
      return Date.now();
    }
    const retryAfter = Number(response?.headers.get('retry-after') ?? 1);
    await response?.body?.cancel();
    if (response && response.status !== 429 && response.status < 500) {
      throw new Error(`POST /research ${topic}: ${response.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, retryAfter) * 1000));
  }
}

async function run(agentConcurrency: number, workflows: number): Promise<Outcome> {
  const label = `c${agentConcurrency}-${randomBytes(3).toString('hex')}`;
  const topics = Array.from({ length: workflows }, (_, index) => `bench-${label}-${index}`);
  const wanted = new Set(topics);
  const results = new Map<string, number[]>();
  const reader = new PartitionReader(connection, { clientId: 'paxfleet-bench-fleet' });
  await reader.connect();
  const codec = registry.codecForTopic('content-results');
  const partitions = await reader.partitionCount('content-results');
  await reader.follow(
    Array.from({ length: partitions }, (_, partition) => ({
      topic: 'content-results',
      partition,
      from: 'end' as const,
    })),
    (record) => {
      if (!record.value) return;
      const result = codec.decode(record.value).value;
      if (!wanted.has(result.topic)) return;
      results.set(result.topic, [...(results.get(result.topic) ?? []), record.timestamp]);
    },
  );
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
    const submitted = new Map<string, number>();
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < topics.length) {
          const topic = topics[next++] as string;
          submitted.set(topic, await submit(coordinator, topic));
        }
      }),
    );
    const deadline = Date.now() + Math.max(600_000, workflows * 10_000);
    while (results.size < workflows && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const last = Math.max(...[...results.values()].map((times) => times[0] ?? 0));
    // A late duplicate would show up within a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const latencies = topics
      .filter((topic) => results.has(topic))
      .map((topic) => (results.get(topic)?.[0] ?? 0) - (submitted.get(topic) ?? 0))
      .sort((a, b) => a - b);
    return {
      seconds: (last - started) / 1000,
      latencies,
      exactlyOnce: topics.filter((topic) => results.get(topic)?.length === 1).length,
      maxRssMb: maxRssMb([...fleet.values()]),
    };
  } finally {
    await stopFleet(fleet);
    await reader.close();
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
