// Claim decision latency (request written to decision read, at the agent) and
// decisions per second, against the broker in KAFKA_BROKERS with the coordinator's
// arbiter in a process of its own (as in a pod): one request at a time, at offered loads (BENCH_OFFERED_RATES per
// second, default 250,500,1000,2000, each for BENCH_OFFERED_SECONDS, default 10, on
// fresh keys from four agents), and a burst of BENCH_CONCURRENT at once (saturation).
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import { configFragment, loadConfig } from '@paxfleet/core';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { isolatedTopics } from '@paxfleet/events/testing';
import { ClaimsClient } from '@paxfleet/claims';
import { startArbiterProcess } from '../testing/arbiter-child.ts';

const settings = loadConfig(
  configFragment('Claims benchmark', {
    BENCH_SEQUENTIAL: Type.Integer({ minimum: 1, default: 300 }),
    BENCH_CONCURRENT: Type.Integer({ minimum: 2, default: 2000 }),
    BENCH_OFFERED_RATES: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 1,
      default: [250, 500, 1000, 2000],
    }),
    BENCH_OFFERED_SECONDS: Type.Integer({ minimum: 1, default: 10 }),
  }),
  process.env,
);
const sequential = settings.BENCH_SEQUENTIAL;
const concurrent = settings.BENCH_CONCURRENT;
const offeredRates = settings.BENCH_OFFERED_RATES;
const offeredSeconds = settings.BENCH_OFFERED_SECONDS;
const kafka = testKafka('claims-bench');
const connection = kafkaConnectionFromEnv(process.env, 'claims-bench');
const topics = isolatedTopics(['claim-requests', 'content-claims']);
const names = {
  requests: topics.names['claim-requests'],
  decisions: topics.names['content-claims'],
};
await topics.create(kafka);
const group = uniqueName('bench-arbiter');
// The coordinator runs as its own process, as it does in a pod: the agents' clients here
// do not share its event loop.
const { child: arbiter, ready } = startArbiterProcess({ topics: topics.names, group, id: 0 });
await ready;
const clients = await Promise.all(
  ['marketing', 'sales', 'content', 'seo'].map(async (agent) => {
    const client = new ClaimsClient({
      kafka,
      connection,
      registry: topics.registry,
      agent,
      timeoutMs: 120_000,
      topics: names,
    });
    await client.start();
    return client;
  }),
);
const context = { workflowId: 'workflow_bench' };
const [first] = clients as [ClaimsClient];
await first.acquire('warm-up', { context });

const latencies: number[] = [];
for (let index = 0; index < sequential; index += 1) {
  const started = performance.now();
  await first.acquire(`sequential:${index}`, { context });
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const percentileOf = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const percentile = (p: number) => percentileOf(latencies, p);

/** Requests at `rate` per second for the given time, not waiting for answers; each one's latency. */
async function offered(rate: number, seconds: number) {
  const answered: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  const total = Math.round(rate * seconds);
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent += 1) {
      const at = performance.now();
      const client = clients[sent % clients.length] as ClaimsClient;
      inFlight.push(
        client.acquire(`offered-${rate}:${sent}`, { context }).then(
          () => void answered.push(performance.now() - at),
          () => void (errors += 1),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  return { sorted: answered.sort((a, b) => a - b), errors, total };
}
const loads = [];
for (const rate of offeredRates) loads.push({ rate, ...(await offered(rate, offeredSeconds)) });

const started = performance.now();
await Promise.all(
  Array.from({ length: concurrent }, (_, index) =>
    (clients[index % clients.length] as ClaimsClient).acquire(
      `concurrent:${index % (concurrent / 2)}`,
      { context },
    ),
  ),
);
const seconds = (performance.now() - started) / 1000;

console.log(`claim decisions, one coordinator, ${registryPartitions()} claim-requests partitions`);
console.log(
  `latency, one request at a time (${sequential}): p50 ${percentile(50).toFixed(1)} ms, p99 ${percentile(99).toFixed(1)} ms`,
);
for (const load of loads) {
  console.log(
    `offered ${load.rate}/s for ${offeredSeconds} s: p50 ${percentileOf(load.sorted, 50).toFixed(1)} ms, p99 ${percentileOf(load.sorted, 99).toFixed(1)} ms, ${load.sorted.length} decided, ${load.errors} errors`,
  );
}
const saturation = Math.round(concurrent / seconds);
console.log(
  `throughput, ${concurrent} requests from ${clients.length} agents at once: ${saturation} decisions/s`,
);
const at1000 = loads.find((load) => load.rate === 1000);
if (at1000) {
  console.log(
    `bench: claims at 1000/s offered: p50 ${Math.round(percentileOf(at1000.sorted, 50))} ms, p99 ${Math.round(percentileOf(at1000.sorted, 99))} ms, ${at1000.sorted.length} decided, ${at1000.errors} errors; saturation ${saturation} decisions/s`,
  );
}

await Promise.all(clients.map((client) => client.stop()));
arbiter.kill('SIGTERM');
await once(arbiter, 'exit');

function registryPartitions(): number {
  return topics.registry.topic(names.requests).partitions;
}
