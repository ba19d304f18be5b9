// Claim decision latency (request written to decision read, at the agent) and
// decisions per second, against the broker in KAFKA_BROKERS with the coordinator's
// arbiter in a process of its own (as in a pod): one request at a time, at offered loads (BENCH_OFFERED_RATES per
// second, default 250,500,1000,2000, each for BENCH_OFFERED_SECONDS, default 10, on
// fresh keys from four agents), and a burst of BENCH_CONCURRENT at once (saturation).
// Once for each BENCH_OVERLAP mode (default off, then lexical): with the overlap
// check, every claim names one of BENCH_SUBJECTS (default 5000, a busy day's
// work) topics of three words from the labelled pairs' vocabulary, in turn, and
// is compared with the work held that shares a word: once all are held, a claim
// repeats one and is denied.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
    BENCH_SUBJECTS: Type.Integer({ minimum: 1, default: 5000 }),
    BENCH_OVERLAP: Type.Array(Type.Union([Type.Literal('off'), Type.Literal('lexical')]), {
      minItems: 1,
      default: ['off', 'lexical'],
    }),
  }),
  process.env,
);
interface Plan {
  readonly sequential: number;
  readonly concurrent: number;
  readonly offeredRates: readonly number[];
  readonly offeredSeconds: number;
}
const measured: Plan = {
  sequential: settings.BENCH_SEQUENTIAL,
  concurrent: settings.BENCH_CONCURRENT,
  offeredRates: settings.BENCH_OFFERED_RATES,
  offeredSeconds: settings.BENCH_OFFERED_SECONDS,
};
/** A fresh broker's first seconds are slower: whichever mode ran first lost by it. */
const warmUp: Plan = { sequential: 50, concurrent: 200, offeredRates: [500], offeredSeconds: 3 };
const kafka = testKafka('claims-bench');
const connection = kafkaConnectionFromEnv(process.env, 'claims-bench');
const context = { workflowId: 'workflow_bench' };
const percentileOf = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** The words of the labelled topic pairs: subjects made of them look up real term lists. */
const vocabulary = [
  ...new Set(
    readFileSync(new URL('../../../../libs/overlap/data/topic-pairs.tsv', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .flatMap((line) => line.split('\t').slice(0, 2))
      .flatMap((slug) => slug.split('-')),
  ),
].sort();
/** Random numbers from a seed (mulberry32): the same subjects every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = seeded(19);
/** The topics of a busy day: BENCH_SUBJECTS of three different words each. */
const subjects = Array.from({ length: settings.BENCH_SUBJECTS }, () => {
  const words = new Set<string>();
  while (words.size < 3) words.add(vocabulary[Math.floor(random() * vocabulary.length)] as string);
  return [...words].join('-');
});
/** The n-th claim's subject: the day's topics in turn, so the index holds at most all of them. */
const subjectOf = (n: number) => subjects[n % subjects.length] as string;

type Mode = (typeof settings.BENCH_OVERLAP)[number];

async function run(mode: Mode, plan: Plan) {
  const { sequential, concurrent, offeredRates, offeredSeconds } = plan;
  const topics = isolatedTopics(['claim-requests', 'content-claims']);
  const names = {
    requests: topics.names['claim-requests'],
    decisions: topics.names['content-claims'],
  };
  await topics.create(kafka);
  const group = uniqueName('bench-arbiter');
  // The coordinator runs as its own process, as it does in a pod: the agents' clients here
  // do not share its event loop.
  const { child: arbiter, ready } = startArbiterProcess({
    topics: topics.names,
    group,
    id: 0,
    overlap: mode,
  });
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
  let asked = 0;
  const acquire = (client: ClaimsClient, workKey: string) =>
    client.acquire(workKey, {
      context,
      ...(mode === 'lexical' && { subject: subjectOf((asked += 1)) }),
    });
  const [first] = clients as [ClaimsClient];
  await acquire(first, 'warm-up');

  const latencies: number[] = [];
  for (let index = 0; index < sequential; index += 1) {
    const started = performance.now();
    await acquire(first, `sequential:${index}`);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);

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
          acquire(client, `offered-${rate}:${sent}`).then(
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
      acquire(
        clients[index % clients.length] as ClaimsClient,
        `concurrent:${index % (concurrent / 2)}`,
      ),
    ),
  );
  const saturation = Math.round(concurrent / ((performance.now() - started) / 1000));

  await Promise.all(clients.map((client) => client.stop()));
  arbiter.kill('SIGTERM');
  await once(arbiter, 'exit');
  return {
    mode,
    latencies,
    loads,
    saturation,
    partitions: topics.registry.topic(names.requests).partitions,
  };
}

await run('off', warmUp);
const runs = [];
for (const mode of settings.BENCH_OVERLAP) runs.push(await run(mode, measured));
const { sequential, concurrent, offeredSeconds } = measured;

for (const { mode, latencies, loads, saturation, partitions } of runs) {
  console.log(
    `claim decisions, one coordinator, ${partitions} claim-requests partitions, overlap ${mode}`,
  );
  console.log(
    `latency, one request at a time (${sequential}): p50 ${percentileOf(latencies, 50).toFixed(1)} ms, p99 ${percentileOf(latencies, 99).toFixed(1)} ms`,
  );
  for (const load of loads) {
    console.log(
      `offered ${load.rate}/s for ${offeredSeconds} s: p50 ${percentileOf(load.sorted, 50).toFixed(1)} ms, p99 ${percentileOf(load.sorted, 99).toFixed(1)} ms, ${load.sorted.length} decided, ${load.errors} errors`,
    );
  }
  console.log(
    `throughput, ${concurrent} requests from 4 agents at once: ${saturation} decisions/s`,
  );
}
for (const { mode, loads, saturation } of runs) {
  const at1000 = loads.find((load) => load.rate === 1000);
  if (!at1000) continue;
  // Without the check, the line keeps the form earlier runs printed.
  const label = mode === 'off' ? '' : `, overlap ${mode}`;
  console.log(
    `bench: claims at 1000/s offered${label}: p50 ${Math.round(percentileOf(at1000.sorted, 50))} ms, p99 ${Math.round(percentileOf(at1000.sorted, 99))} ms, ${at1000.sorted.length} decided, ${at1000.errors} errors; saturation ${saturation} decisions/s`,
  );
}
