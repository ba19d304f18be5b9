// A coordinator's claim arbiter as a child process, for the crash and
// two-instance tests. Topics, group and ids come from the environment; the
// lexical overlap check is on unless ARBITER_OVERLAP=off.
import { Registry } from 'prom-client';
import { createKafka, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { isolatedTopics } from '@paxfleet/events/testing';
import { DEFAULT_THRESHOLDS, LexicalSimilarity } from '@paxfleet/overlap';
import { ClaimArbiter } from '../claims/claim-arbiter.ts';
import { ClaimMetrics } from '../claims/claim-metrics.ts';
import { ComplementaryFormats } from '../claims/overlap-index.ts';

const names = JSON.parse(process.env.CLAIM_TOPICS ?? '{}') as Record<string, string>;
const topics = isolatedTopics(['claim-requests', 'content-claims'], names);
const connection = kafkaConnectionFromEnv(process.env, `arbiter-${process.env.ARBITER_ID ?? '0'}`);
const arbiter = new ClaimArbiter({
  kafka: createKafka(connection),
  connection,
  registry: topics.registry,
  groupId: process.env.ARBITER_GROUP ?? 'arbiter-test',
  transactionalId: `${process.env.ARBITER_GROUP ?? 'arbiter-test'}-${process.env.ARBITER_ID ?? '0'}`,
  groupInstanceId: `arbiter-${process.env.ARBITER_ID ?? '0'}`,
  policy: { completionWindowMs: 60_000, maxRequestAgeMs: 120_000 },
  ...(process.env.ARBITER_OVERLAP !== 'off' && {
    overlap: {
      similarity: new LexicalSimilarity(),
      threshold: DEFAULT_THRESHOLDS.lexical,
      complementary: new ComplementaryFormats([]),
    },
  }),
  metrics: new ClaimMetrics(new Registry()),
  topics: { requests: topics.names['claim-requests'], decisions: topics.names['content-claims'] },
});

process.once('SIGTERM', () => {
  arbiter.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await arbiter.start();
console.log('ready');
