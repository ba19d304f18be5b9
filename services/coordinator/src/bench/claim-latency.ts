// Claim decision latency (request written to decision read, at the agent) and
// decisions per second, against the broker in KAFKA_BROKERS with an in-process
// coordinator.
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { isolatedTopics } from '@paxfleet/events/testing';
import { ClaimsClient } from '@paxfleet/claims';
import { ClaimArbiter } from '../claims/claim-arbiter.ts';
import { ClaimMetrics } from '../claims/claim-metrics.ts';

const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 300);
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 2000);
const kafka = testKafka('claims-bench');
const connection = kafkaConnectionFromEnv(process.env, 'claims-bench');
const topics = isolatedTopics(['claim-requests', 'content-claims']);
const names = {
  requests: topics.names['claim-requests'],
  decisions: topics.names['content-claims'],
};
await topics.create(kafka);
const group = uniqueName('bench-arbiter');
const arbiter = new ClaimArbiter({
  kafka,
  connection,
  registry: topics.registry,
  groupId: group,
  transactionalId: `${group}-0`,
  policy: { completionWindowMs: 60_000, maxRequestAgeMs: 600_000 },
  metrics: new ClaimMetrics(new Registry()),
  topics: names,
});
await arbiter.start();
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
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;

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
console.log(
  `throughput, ${concurrent} requests from ${clients.length} agents at once: ${Math.round(concurrent / seconds)} decisions/s`,
);

await Promise.all(clients.map((client) => client.stop()));
await arbiter.stop();

function registryPartitions(): number {
  return topics.registry.topic(names.requests).partitions;
}
