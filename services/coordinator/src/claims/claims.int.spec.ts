import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Logger } from '@paxfleet/core';
import { kafkaConnectionFromEnv, PartitionReader } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import type { ClaimRecord } from '@paxfleet/events';
import { isolatedTopics } from '@paxfleet/events/testing';
import type { ClaimsError } from '@paxfleet/claims';
import { ClaimsClient, type ClaimOutcome } from '@paxfleet/claims';
import { OpenAICompatibleEmbedder } from '@paxfleet/models';
import { DEFAULT_THRESHOLDS, EmbeddingSimilarity, LexicalSimilarity } from '@paxfleet/overlap';
import { ClaimArbiter } from './claim-arbiter.ts';
import { ClaimMetrics } from './claim-metrics.ts';
import { ComplementaryFormats, type OverlapIndexOptions } from './overlap-index.ts';
import { startArbiterProcess } from '../testing/arbiter-child.ts';

const kafka = testKafka('claims-test');
const connection = kafkaConnectionFromEnv(process.env, 'claims-test');
const context = { workflowId: 'workflow_claims' };

function fleet() {
  const topics = isolatedTopics(['claim-requests', 'content-claims']);
  const names = {
    requests: topics.names['claim-requests'],
    decisions: topics.names['content-claims'],
  };
  const clients: ClaimsClient[] = [];
  return {
    topics,
    names,
    async client(
      agent: string,
      timeoutMs = 20_000,
      lease: { leaseMs?: number; renewIntervalMs?: number } = {},
    ): Promise<ClaimsClient> {
      const client = new ClaimsClient({
        kafka,
        connection,
        registry: topics.registry,
        agent,
        timeoutMs,
        topics: names,
        ...lease,
      });
      await client.start();
      clients.push(client);
      return client;
    },
    async stopClients() {
      await Promise.all(clients.map((client) => client.stop()));
    },
    /** Every decision in content-claims, in log order per partition. */
    async decisions(): Promise<ClaimRecord[]> {
      const reader = new PartitionReader(connection);
      await reader.connect();
      const codec = topics.registry.codecForTopic(names.decisions);
      const records: ClaimRecord[] = [];
      const partitions = await reader.partitionCount(names.decisions);
      await reader.readToEnd(
        Array.from({ length: partitions }, (_, partition) => ({
          topic: names.decisions,
          partition,
        })),
        (record) => record.value && records.push(codec.decode(record.value).value),
      );
      await reader.close();
      return records;
    },
  };
}

const lexicalOverlap = (): OverlapIndexOptions => ({
  similarity: new LexicalSimilarity(),
  threshold: DEFAULT_THRESHOLDS.lexical,
  complementary: new ComplementaryFormats(['blog_post:prospect_deck']),
});

/** The embedding method on the OpenAI-compatible API at `baseUrl`. */
const embeddingOverlap = (
  baseUrl: string,
  timeoutMs = 30_000,
  cacheSize?: number,
): OverlapIndexOptions => ({
  similarity: new EmbeddingSimilarity({
    embedder: new OpenAICompatibleEmbedder({
      baseUrl,
      model: process.env.CLAIM_OVERLAP_EMBEDDING_MODEL ?? 'all-MiniLM-L6-v2',
      timeoutMs,
    }),
    ...(cacheSize !== undefined && { cacheSize }),
  }),
  threshold: DEFAULT_THRESHOLDS.embedding,
  complementary: new ComplementaryFormats([]),
});

function inProcessArbiter(
  setup: ReturnType<typeof fleet>,
  registry = new Registry(),
  logger?: Logger,
  overlap: OverlapIndexOptions = lexicalOverlap(),
) {
  const group = uniqueName('arbiter');
  return new ClaimArbiter({
    kafka,
    connection,
    registry: setup.topics.registry,
    groupId: group,
    transactionalId: `${group}-0`,
    policy: { completionWindowMs: 60_000, maxRequestAgeMs: 60_000 },
    overlap,
    metrics: new ClaimMetrics(registry),
    topics: setup.names,
    sweepIntervalMs: 200,
    ...(logger && { logger }),
  });
}

/** 50 contenders over 20 keys: contender i asks for key i % 20 as agent floor(i / 5), so each key has 2-3 distinct agents. */
async function race(
  setup: ReturnType<typeof fleet>,
  prefix: string,
): Promise<Map<string, ClaimOutcome[]>> {
  const agents = await Promise.all(
    Array.from({ length: 10 }, (_, index) => setup.client(`agent-${index}`)),
  );
  const outcomes = await Promise.all(
    Array.from({ length: 50 }, (_, index) =>
      (agents[Math.floor(index / 5)] as ClaimsClient).acquire(`${prefix}:${index % 20}`, {
        context,
        leaseMs: 60_000,
      }),
    ),
  );
  const byKey = new Map<string, ClaimOutcome[]>();
  for (const outcome of outcomes)
    byKey.set(outcome.workKey, [...(byKey.get(outcome.workKey) ?? []), outcome]);
  return byKey;
}

function assertOneWinnerPerKey(byKey: Map<string, ClaimOutcome[]>): void {
  assert.equal(byKey.size, 20);
  for (const [key, outcomes] of byKey) {
    const winners = outcomes.filter((outcome) => outcome.granted);
    assert.equal(winners.length, 1, `${key}: exactly one grant (got ${winners.length})`);
    const winner = winners[0]?.record.holder;
    for (const loser of outcomes.filter((outcome) => !outcome.granted)) {
      assert.equal(loser.holder, winner, `${key}: the denial names the winner`);
      assert.equal(loser.reason, `already claimed by ${winner}`);
    }
  }
}

/** No key was ever granted at one epoch to two different holders. */
function assertNoDoubleGrant(decisions: readonly ClaimRecord[]): void {
  const holders = new Map<string, string>();
  for (const decision of decisions.filter((record) => record.decision === 'granted')) {
    const slot = `${decision.work_key}@${decision.epoch}`;
    const previous = holders.get(slot);
    assert.ok(
      previous === undefined || previous === decision.holder,
      `${slot} granted to ${previous} and ${decision.holder}`,
    );
    holders.set(slot, decision.holder as string);
  }
}

/** A claim of `content:<subject>` naming its subject, as writers ask. */
function claimOf(client: ClaimsClient, subject: string, format = 'blog_post') {
  return client.acquire(`content:${subject}`, { context, subject, format, leaseMs: 120_000 });
}

/** What must be the same when a request is decided again: the outcome, not when or why it was worded. */
function gist(outcome: ClaimOutcome) {
  const { decision, holder, epoch, overlap } = outcome.record;
  return { decision, holder, epoch, overlap };
}

/**
 * Groups of topics that are one piece of work each, phrased three ways, with no word
 * shared between groups: any two of a group overlap, no two of different groups do.
 */
const OVERLAP_GROUPS = [
  ['payroll', 'forecasting'],
  ['glacier', 'telemetry'],
  ['orchard', 'scheduling'],
  ['violin', 'licensing'],
  ['harbor', 'inspection'],
  ['saffron', 'pricing'],
  ['meteor', 'tracking'],
  ['quartz', 'auditing'],
  ['tundra', 'mapping'],
  ['falcon', 'onboarding'],
  ['lantern', 'recycling'],
  ['pepper', 'sourcing'],
  ['cobalt', 'refining'],
  ['walrus', 'migration'],
  ['bamboo', 'harvesting'],
  ['nebula', 'imaging'],
  ['canyon', 'surveying'],
  ['mosaic', 'restoration'],
  ['tuba', 'rental'],
  ['oyster', 'farming'],
].map(([thing, activity]) => [
  `${thing}-${activity}`,
  `${activity}-for-${thing}`,
  `introduction-to-${thing}-${activity}`,
]);

/**
 * A burst of requests with the arbiter, in a process of its own, killed with SIGKILL once
 * `killAfter` are answered and started again: every outcome, and how many came before the kill.
 */
async function burstThroughKill(
  setup: ReturnType<typeof fleet>,
  group: string,
  requests: readonly (() => Promise<ClaimOutcome>)[],
  killAfter: number,
): Promise<{ outcomes: ClaimOutcome[]; answeredAtKill: number }> {
  const start = () => startArbiterProcess({ topics: setup.topics.names, group, id: 0 });
  let arbiter = start();
  await arbiter.ready;
  let answered = 0;
  const burst = Promise.all(requests.map((ask) => ask().finally(() => (answered += 1))));
  await eventually(
    () => answered,
    (count) => count >= killAfter,
    { intervalMs: 5 },
  );
  arbiter.child.kill('SIGKILL');
  const answeredAtKill = answered;
  await once(arbiter.child, 'exit');
  arbiter = start();
  await arbiter.ready;
  const outcomes = await burst;
  arbiter.child.kill('SIGTERM');
  await once(arbiter.child, 'exit');
  await setup.stopClients();
  return { outcomes, answeredAtKill };
}

describe('claims on the real broker', { timeout: 180_000 }, () => {
  describe('one coordinator', () => {
    const setup = fleet();
    const metrics = new Registry();
    const warnings: string[] = [];
    const logger: Logger = {
      error: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
      warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
      info: () => {},
    };
    let arbiter: ClaimArbiter;

    before(async () => {
      await setup.topics.create(kafka);
      arbiter = inProcessArbiter(setup, metrics, logger);
      await arbiter.start();
    });

    after(async () => {
      await setup.stopClients();
      await arbiter.stop();
    });

    it('a race of 50 contenders over 20 keys ends with exactly one grant per key; every denial names the winner', async () => {
      assertOneWinnerPerKey(await race(setup, 'race'));
      // Every partition's first request arrives at once: their ledger rebuilds take turns on
      // the one claim-log reader, and none fails for it.
      assert.deepEqual(warnings, [], 'no request failed and was retried');
    });

    it('a holder that stops renewing loses the key to the next claimant at a higher epoch, and its late completion is rejected', async () => {
      const [slow, fast] = [await setup.client('slow-agent'), await setup.client('fast-agent')];
      const seen: ClaimRecord[] = [];
      fast.onDecision((record) => record.work_key === 'lease:1' && seen.push(record));
      const first = await slow.acquire('lease:1', { context, leaseMs: 1000 });
      assert.ok(first.granted);
      assert.equal(first.epoch, 1);
      await eventually(() => seen.some((record) => record.decision === 'expired'), Boolean, {
        timeoutMs: 15_000,
      });
      const second = await fast.acquire('lease:1', { context, leaseMs: 30_000 });
      assert.ok(second.granted, 'the next claimant wins once the lease was reclaimed');
      assert.equal(second.epoch, 2);
      await assert.rejects(slow.complete('lease:1', 1, { context }), (error: ClaimsError) => {
        assert.equal(error.code, 'CLAIMS_REJECTED');
        assert.match(error.message, /stale epoch 1: lease:1 is at epoch 2, held by fast-agent/);
        return true;
      });
      assert.equal((await fast.complete('lease:1', 2, { context })).state, 'completed');
      const exposition = await metrics.metrics();
      assert.match(exposition, /paxfleet_claim_stale_epoch_rejections_total 1/);
      assert.match(exposition, /paxfleet_claim_decisions_total\{decision="expired"\} 1/);
    });

    it('one renewal loop keeps 50 held claims alive for several lease lengths, renewing them together', async () => {
      const holder = await setup.client('busy-writer', 20_000, {
        leaseMs: 2000,
        renewIntervalMs: 500,
      });
      const keys = Array.from({ length: 50 }, (_, index) => `held:${index}`);
      const renewed = new Map<string, number[]>();
      holder.onDecision((record) => {
        if (record.decision === 'renewed' && keys.includes(record.work_key))
          renewed.set(record.work_key, [...(renewed.get(record.work_key) ?? []), Date.now()]);
      });
      const grants = await Promise.all(keys.map((key) => holder.acquire(key, { context })));
      for (const grant of grants) {
        assert.ok(grant.granted);
        holder.hold(grant.workKey, grant.epoch, context);
      }
      assert.equal(holder.held, 50);
      await new Promise((resolve) => setTimeout(resolve, 6500));
      const rival = await setup.client('rival-writer');
      const contested = await Promise.all(keys.map((key) => rival.acquire(key, { context })));
      for (const outcome of contested) {
        assert.equal(outcome.granted, false, `${outcome.workKey} is still held after three leases`);
        assert.equal(outcome.reason, 'already claimed by busy-writer');
      }
      for (const key of keys)
        assert.ok((renewed.get(key)?.length ?? 0) >= 3, `${key} renewed every round`);
      // Renewals come in rounds: every key's n-th renewal lands within one round of the others'.
      const firstRound = keys.map((key) => renewed.get(key)?.[0] ?? 0);
      assert.ok(Math.max(...firstRound) - Math.min(...firstRound) < 500, 'one round renews all');
      for (const key of keys) holder.release(key);
      assert.equal(holder.held, 0);
    });

    it('denies a claim that repeats held or completed work under another key, naming its key, holder and score; grants related but distinct work, and complementary formats with a note', async () => {
      const [marketing, sales, content] = [
        await setup.client('overlap-marketing'),
        await setup.client('overlap-sales'),
        await setup.client('overlap-content'),
      ];
      const first = await claimOf(marketing, 'agent-observability-platforms');
      assert.ok(first.granted, first.reason);
      const repeat = await claimOf(content, 'observability-for-ai-agents', 'newsletter');
      assert.equal(repeat.granted, false);
      const overlap = repeat.record.overlap;
      assert.equal(overlap?.work_key, 'content:agent-observability-platforms');
      assert.equal(overlap?.holder, 'overlap-marketing');
      assert.equal(overlap?.state, 'held');
      assert.equal(overlap?.method, 'lexical');
      assert.ok((overlap?.score ?? 0) >= DEFAULT_THRESHOLDS.lexical, `score ${overlap?.score}`);
      assert.equal(
        repeat.reason,
        `overlaps content:agent-observability-platforms (${overlap?.score.toFixed(2)}), claimed by overlap-marketing`,
      );
      assert.equal(repeat.record.subject, 'observability-for-ai-agents');

      const security = await claimOf(marketing, 'kafka-security');
      const performance = await claimOf(content, 'kafka-performance', 'newsletter');
      assert.ok(security.granted && performance.granted, 'related but distinct work is two pieces');
      await marketing.complete('content:kafka-security', security.epoch, { context });
      const again = await claimOf(content, 'securing-kafka', 'newsletter');
      assert.equal(again.granted, false, 'completed work counts for its completion window');
      assert.match(
        again.reason,
        /^overlaps content:kafka-security \(\d\.\d\d\), completed by overlap-marketing$/,
      );

      const deck = await claimOf(sales, 'ai-agent-observability', 'prospect_deck');
      assert.ok(
        deck.granted,
        'a prospect deck complements a blog post (CLAIM_OVERLAP_COMPLEMENTARY)',
      );
      assert.equal(deck.record.overlap?.action, 'grant');
      assert.match(
        deck.reason,
        /^free; complements: overlaps content:agent-observability-platforms/,
      );
      const exposition = await metrics.metrics();
      assert.match(exposition, /paxfleet_claim_overlaps_total\{action="deny",method="lexical"\} 2/);
      assert.match(
        exposition,
        /paxfleet_claim_overlaps_total\{action="grant",method="lexical"\} 1/,
      );
    });

    it('answers a holder asking again with its own grant, and times out clearly when nobody decides', async () => {
      const agent = await setup.client('returning-agent');
      const first = await agent.acquire('again:1', { context });
      const again = await agent.acquire('again:1', { context });
      assert.ok(first.granted && again.granted);
      assert.equal(again.epoch, first.epoch);

      const nobody = fleet();
      await nobody.topics.create(kafka);
      const orphan = await nobody.client('orphan', 1500);
      await assert.rejects(
        orphan.acquire('nobody:1', { context }),
        /CLAIMS_TIMEOUT: the coordinator did not decide claim of nobody:1 within 1500 ms/,
      );
      await nobody.stopClients();
    });
  });

  describe('the embedding method', () => {
    const embeddings = process.env.MODEL_BASE_URL;

    it(
      'on a real embeddings model: a rephrased topic is denied naming the work it repeats, a related one granted',
      {
        skip: embeddings
          ? false
          : 'MODEL_BASE_URL is not set (run under scripts/with-embeddings.sh)',
      },
      async () => {
        const setup = fleet();
        await setup.topics.create(kafka);
        const registry = new Registry();
        const arbiter = inProcessArbiter(
          setup,
          registry,
          undefined,
          embeddingOverlap(embeddings as string),
        );
        await arbiter.start();
        try {
          const [first, second] = [await setup.client('embed-a'), await setup.client('embed-b')];
          assert.ok((await claimOf(first, 'kafka-for-multi-agent-systems')).granted);
          const repeat = await claimOf(second, 'multi-agent-systems-on-kafka');
          assert.equal(repeat.granted, false);
          assert.equal(repeat.record.overlap?.work_key, 'content:kafka-for-multi-agent-systems');
          assert.equal(repeat.record.overlap?.method, 'embedding');
          assert.ok((await claimOf(first, 'kafka-security')).granted);
          assert.ok((await claimOf(second, 'kafka-performance')).granted, 'related, not the same');
        } finally {
          await setup.stopClients();
          await arbiter.stop();
        }
      },
    );

    it(
      'on a real embeddings model, a restarted coordinator whose cache is smaller than the work held decides on the key alone after three tries, and counts it',
      {
        skip: embeddings
          ? false
          : 'MODEL_BASE_URL is not set (run under scripts/with-embeddings.sh)',
      },
      async () => {
        const setup = fleet();
        await setup.topics.create(kafka);
        const first = inProcessArbiter(
          setup,
          new Registry(),
          undefined,
          embeddingOverlap(embeddings as string),
        );
        await first.start();
        const client = await setup.client('embed-small-cache');
        try {
          for (const subject of ['payroll-forecasting', 'glacier-telemetry', 'violin-licensing'])
            assert.ok((await claimOf(client, subject)).granted);
        } finally {
          await first.stop();
        }
        // Rebuilt from the log, the index has three subjects and no vectors: with the
        // claim's, four to fetch into a cache of two.
        const registry = new Registry();
        const second = inProcessArbiter(
          setup,
          registry,
          undefined,
          embeddingOverlap(embeddings as string, 30_000, 2),
        );
        await second.start();
        try {
          const fourth = await claimOf(client, 'harbor-inspection');
          assert.ok(fourth.granted, fourth.reason);
          assert.match(
            await registry.metrics(),
            /paxfleet_claim_overlap_unchecked_total\{method="embedding"\} [1-9]/,
          );
        } finally {
          await setup.stopClients();
          await second.stop();
        }
      },
    );

    it('an embeddings API that is down: claims are decided on their key alone, logged and counted', async () => {
      const setup = fleet();
      await setup.topics.create(kafka);
      const registry = new Registry();
      const warnings: string[] = [];
      const logger: Logger = {
        error: () => {},
        warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
        info: () => {},
      };
      // Port 9 (discard) on loopback: nothing listens, every call is refused at once.
      const arbiter = inProcessArbiter(
        setup,
        registry,
        logger,
        embeddingOverlap('http://127.0.0.1:9/v1', 2000),
      );
      await arbiter.start();
      try {
        const client = await setup.client('embed-down');
        const outcome = await claimOf(client, 'kafka-for-multi-agent-systems');
        assert.ok(outcome.granted, outcome.reason);
        assert.equal(outcome.reason, 'free');
        assert.match(
          await registry.metrics(),
          /paxfleet_claim_overlap_unchecked_total\{method="embedding"\} 1/,
        );
        assert.ok(
          warnings.some((line) => line.startsWith('overlap check skipped')),
          warnings.join('\n'),
        );
      } finally {
        await setup.stopClients();
        await arbiter.stop();
      }
    });
  });

  describe('coordinator processes', () => {
    const startArbiter = (setup: ReturnType<typeof fleet>, group: string, id: number) =>
      startArbiterProcess({ topics: setup.topics.names, group, id });

    it('SIGKILL during a burst loses no decision and never grants one key twice at one epoch', async () => {
      const setup = fleet();
      await setup.topics.create(kafka);
      const agents = await Promise.all(
        ['a', 'b', 'c'].map((name) => setup.client(`burst-${name}`, 60_000)),
      );
      const { outcomes, answeredAtKill } = await burstThroughKill(
        setup,
        uniqueName('arbiter-crash'),
        Array.from(
          { length: 300 },
          (_, index) => () =>
            (agents[index % 3] as ClaimsClient).acquire(`burst:${index % 100}`, {
              context,
              leaseMs: 120_000,
            }),
        ),
        20,
      );

      assert.ok(
        answeredAtKill < 300,
        `the kill landed mid-burst (${answeredAtKill} of 300 answered)`,
      );
      assert.equal(outcomes.length, 300, 'every request was answered');
      const grants = outcomes.filter((outcome) => outcome.granted);
      assert.equal(
        new Set(grants.map((outcome) => outcome.workKey)).size,
        100,
        'every key has a holder',
      );
      const holders = new Map<string, string>();
      for (const grant of grants) {
        const previous = holders.get(grant.workKey);
        assert.ok(
          previous === undefined || previous === grant.record.holder,
          `${grant.workKey} has one holder`,
        );
        holders.set(grant.workKey, grant.record.holder as string);
      }
      const decisions = await setup.decisions();
      assertNoDoubleGrant(decisions);
      const decided = decisions
        .filter((record) => record.request_id !== null)
        .map((record) => record.request_id);
      assert.equal(
        decided.length,
        new Set(decided).size,
        'no request was decided twice in the committed log',
      );
      assert.equal(decided.length, 300);
    });

    it('a restarted coordinator rebuilds the overlap index from content-claims: the same requests get the same decisions', async () => {
      const setup = fleet();
      await setup.topics.create(kafka);
      const group = uniqueName('arbiter-overlap');
      let arbiter = startArbiter(setup, group, 0);
      await arbiter.ready;
      const [first, second] = [await setup.client('replay-a'), await setup.client('replay-b')];
      // Keys on different partitions: each is checked against every partition's work.
      const requests: [ClaimsClient, string][] = [
        [first, 'kafka-for-multi-agent-systems'],
        [second, 'multi-agent-systems-on-kafka'],
        [second, 'kafka-security'],
        [first, 'kafka-performance'],
        [first, 'securing-kafka'],
        ...OVERLAP_GROUPS.slice(0, 4).flatMap((phrasings, index): [ClaimsClient, string][] =>
          phrasings.map((subject) => [index % 2 ? first : second, subject]),
        ),
      ];
      const decide = async () => {
        const outcomes: ClaimOutcome[] = [];
        for (const [client, subject] of requests) outcomes.push(await claimOf(client, subject));
        return outcomes;
      };
      const before = await decide();
      assert.deepEqual(
        before.map((outcome) => outcome.granted),
        [
          true,
          false,
          true,
          true,
          false,
          ...OVERLAP_GROUPS.slice(0, 4).flatMap(() => [true, false, false]),
        ],
      );
      arbiter.child.kill('SIGKILL');
      await once(arbiter.child, 'exit');
      arbiter = startArbiter(setup, group, 0);
      await arbiter.ready;
      const afterRestart = await decide();
      arbiter.child.kill('SIGTERM');
      await once(arbiter.child, 'exit');
      await setup.stopClients();
      assert.deepEqual(afterRestart.map(gist), before.map(gist));
    });

    it('SIGKILL during a burst of claims on overlapping topics: one grant per piece of work, each denial naming it, nothing decided twice', async () => {
      const setup = fleet();
      await setup.topics.create(kafka);
      const agents = await Promise.all(
        ['a', 'b', 'c'].map((name) => setup.client(`overlap-burst-${name}`, 60_000)),
      );
      const { outcomes, answeredAtKill } = await burstThroughKill(
        setup,
        uniqueName('arbiter-overlap-crash'),
        OVERLAP_GROUPS.flatMap((phrasings) =>
          phrasings.map((subject, index) => () => claimOf(agents[index] as ClaimsClient, subject)),
        ),
        5,
      );

      const total = OVERLAP_GROUPS.length * 3;
      assert.ok(
        answeredAtKill < total,
        `the kill landed mid-burst (${answeredAtKill} of ${total})`,
      );
      OVERLAP_GROUPS.forEach((phrasings, index) => {
        const mine = outcomes.slice(index * 3, index * 3 + 3);
        const granted = mine.filter((outcome) => outcome.granted);
        assert.equal(granted.length, 1, `${phrasings.join(' / ')}: one grant`);
        for (const denied of mine.filter((outcome) => !outcome.granted))
          assert.equal(denied.record.overlap?.work_key, granted[0]?.workKey, denied.reason);
      });
      const decisions = await setup.decisions();
      assertNoDoubleGrant(decisions);
      const decided = decisions.flatMap((record) => (record.request_id ? [record.request_id] : []));
      assert.equal(decided.length, new Set(decided).size, 'no request decided twice');
      assert.equal(decided.length, total);
    });

    it('two coordinator instances splitting the partitions behave the same', async () => {
      const setup = fleet();
      await setup.topics.create(kafka);
      const group = uniqueName('arbiter-pair');
      const first = startArbiter(setup, group, 1);
      const second = startArbiter(setup, group, 2);
      await Promise.all([first.ready, second.ready]);
      const admin = kafka.admin();
      await admin.connect();
      await eventually(
        async () => (await admin.describeGroups([group])).groups[0]?.members.length ?? 0,
        (members) => members === 2,
      );
      await admin.disconnect();

      assertOneWinnerPerKey(await race(setup, 'pair'));
      await setup.stopClients();
      for (const { child } of [first, second]) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      assertNoDoubleGrant(await setup.decisions());
    });
  });
});
