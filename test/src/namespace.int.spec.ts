import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFleet, stopFleet, type AgentName, type FleetProcess } from '@paxfleet/cli';
import {
  applyCatalog,
  deleteNamespace,
  eventRegistry,
  HEADER,
  TopicReader,
  type TopicName,
  type TopicRecord,
} from '@paxfleet/events';
import { createKafka, kafkaConnectionFromEnv, type Admin } from '@paxfleet/kafka';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import { transactionalIds } from '@paxfleet/kafka/testing';

// A fleet in a Kafka namespace beside the live topics: one workflow end to end on
// <namespace>.* alone. Every way a service boots is here: the coordinator and the archiver
// (runServiceProcess), research, a claiming writer and the oracle (runAgentService).
const AGENTS: readonly AgentName[] = ['coordinator', 'research', 'marketing', 'oracle', 'archiver'];
const run = randomBytes(3).toString('hex');
const namespace = `shadow-${run}`;
const prefix = `${namespace}.`;
const workDir = mkdtempSync(join(tmpdir(), 'paxfleet-namespace-'));
const connection = kafkaConnectionFromEnv(process.env, 'namespace-test');
const shadow = eventRegistry({ namespace });
let admin: Admin;
let fleet: Map<AgentName, FleetProcess> | undefined;

/** What the cluster holds outside the namespace, and every group and transactional id. */
async function clusterState() {
  // Kafka's own topics (__consumer_offsets, __transaction_state) are the broker's, not a fleet's.
  const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
  const live = topics.filter((topic) => !topic.startsWith(prefix));
  const ends: Record<string, string> = {};
  for (const topic of live) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends[`${topic}/${partition}`] = String(high);
  }
  const groups = (await admin.listGroups()).groups.map(({ groupId }) => groupId).sort();
  const committed: Record<string, string> = {};
  for (const groupId of groups.filter((group) => !group.startsWith(prefix))) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId }))
      for (const { partition, offset, metadata } of partitions)
        committed[`${groupId} ${topic}/${partition}`] = `${offset} ${metadata ?? ''}`;
  }
  return { topics, ends, groups, committed, transactionalIds: await transactionalIds(connection) };
}

async function readShadow<K extends TopicName>(topic: K): Promise<TopicRecord<K>[]> {
  const reader = new TopicReader(connection, shadow, { clientId: 'namespace-test-reader' });
  const records: TopicRecord<K>[] = [];
  await reader.connect();
  try {
    await reader.readToEnd<K>(await reader.everyPartition(topic), (record) => records.push(record));
  } finally {
    await reader.close();
  }
  return records;
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const metric = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`));

// Live topics and groups are compared before and after: no other fleet may use the cluster.
const throwaway =
  process.env.PAXFLEET_THROWAWAY_BROKER === process.env.KAFKA_BROKERS ||
  process.env.PAXFLEET_E2E_ON_CLUSTER === '1';
const skip = throwaway
  ? false
  : 'KAFKA_BROKERS is not the throw-away broker of scripts/with-kafka.sh: set PAXFLEET_E2E_ON_CLUSTER=1 on a cluster no fleet uses';

describe('a fleet in a Kafka namespace', { timeout: 240_000, skip }, () => {
  let before_: Awaited<ReturnType<typeof clusterState>>;

  before(async () => {
    admin = createKafka(connection).admin();
    await admin.connect();
    // The live topics exist, as for any fleet: a stray write would land on them.
    const configs = new TopicConfigAdmin(connection);
    await applyCatalog(admin, configs, shadow.catalog, await configs.cluster());
    await configs.close();
    before_ = await clusterState();
  });

  after(async () => {
    if (fleet) await stopFleet(fleet);
    await deleteNamespace(admin, namespace).catch(() => undefined);
    await admin.disconnect();
  });

  it('runs a workflow end to end on <namespace>.* and leaves every live topic, group and transactional id as it was', async () => {
    fleet = await startFleet({
      agents: AGENTS,
      namespace,
      basePort: 18070,
      logDir: join(workDir, 'logs'),
      podsDir: join(workDir, 'pods'),
      env: {
        KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
        HEARTBEAT_INTERVAL_MS: '1000',
        MODEL_OFFLINE_LATENCY_MS: '20',
      },
      agentEnv: { archiver: { ARCHIVE_FLUSH_MS: '200' } },
    });
    const coordinator = fleet.get('coordinator') as FleetProcess;
    const topic = `namespace-${run}`;
    const response = await fetch(`${coordinator.url}/research`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic, brief: `namespace ${run}` }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    const { workflow_id: workflow } = (await response.json()) as { workflow_id: string };

    const [result] = await eventually(
      async () =>
        (await readShadow('content-results')).filter((record) => record.value.topic === topic),
      (found) => found.length > 0,
    );
    assert.equal(result?.value.agent, 'marketing', 'the one writer won the claim');
    assert.equal(result.topic, 'content-results', 'records come back under the catalog’s names');
    const claims = (await readShadow('content-claims')).filter(
      (record) => record.value.work_key === `content:${topic}`,
    );
    assert.ok(claims.some((record) => record.value.decision === 'granted'));
    const audits = await eventually(
      async () =>
        (await readShadow('audit-findings')).filter(
          (record) => record.headers[HEADER.workflowId]?.toString('utf8') === workflow,
        ),
      (found) => found.length > 0,
    );
    assert.ok(audits.length > 0, 'the oracle audited the workflow');
    const activity = await readShadow('agent-activity');
    const sources = new Set(
      activity
        .filter((record) => record.value.workflow_id === workflow)
        .map((record) => record.value.source_topic),
    );
    assert.ok(sources.has('research-tasks'), 'activity names the catalog’s topics');

    // The archiver archived the namespace's records under their names on the cluster.
    const archived = await eventually(
      async () =>
        metric(
          await (await fetch(`${fleet?.get('archiver')?.url}/metrics`)).text(),
          'paxfleet_archive_records_total',
        ),
      (lines) => lines.some((line) => line.includes(`topic="${prefix}research-events"`)),
    );
    assert.ok(
      archived.length > 0 && archived.every((line) => line.includes(`topic="${prefix}`)),
      archived.join('\n'),
    );
    // The coordinator's fleet-wide lag is the namespace's groups, none of the live ones.
    const lag = metric(
      await (await fetch(`${coordinator.url}/metrics`)).text(),
      'kafka_consumer_lag_messages',
    );
    assert.ok(lag.some((line) => line.includes(`consumer_group="${prefix}paxfleet-research"`)));
    assert.ok(
      lag.every((line) => line.includes(`consumer_group="${prefix}`)),
      lag.join('\n'),
    );

    await stopFleet(fleet);
    fleet = undefined;
    const after_ = await clusterState();
    assert.deepEqual(after_.ends, before_.ends, 'live end offsets unchanged');
    assert.deepEqual(after_.committed, before_.committed, 'live committed offsets unchanged');
    const added = (now: readonly string[], then: readonly string[]) =>
      now.filter((name) => !then.includes(name));
    for (const [kind, names] of [
      ['topics', added(after_.topics, before_.topics)],
      ['groups', added(after_.groups, before_.groups)],
      ['transactional ids', added(after_.transactionalIds, before_.transactionalIds)],
    ] as const) {
      assert.ok(names.length > 0, `the fleet made ${kind}`);
      assert.deepEqual(
        names.filter((name) => !name.startsWith(prefix)),
        [],
        `no ${kind} outside ${prefix}`,
      );
    }
    const groups = added(after_.groups, before_.groups);
    for (const agent of AGENTS)
      assert.ok(
        groups.includes(`${prefix}paxfleet-${agent}`),
        `${agent}'s group: ${groups.join(', ')}`,
      );
    const ids = added(after_.transactionalIds, before_.transactionalIds);
    for (const agent of ['coordinator', 'research', 'marketing', 'oracle'])
      assert.ok(
        ids.some((id) => id.startsWith(`${prefix}paxfleet-${agent}-`)),
        `${agent}'s transactional id: ${ids.join(', ')}`,
      );
    console.log(
      `namespace ${namespace}: ${groups.length} groups, ${ids.length} transactional ids, ${added(after_.topics, before_.topics).length} topics; live: ${Object.keys(before_.ends).length} partitions and ${Object.keys(before_.committed).length} group offsets unchanged`,
    );

    const deleted = await deleteNamespace(admin, namespace);
    assert.deepEqual(deleted.groups, groups);
    assert.equal(deleted.topics.length, shadow.catalog.topics.length);
  });
});
