// Least privilege, proven on a real broker: the suite's broker enforces ACLs
// (StandardAuthorizer) on its SCRAM listener, every agent connects there as its own user,
// and each user has exactly the ACLs the catalog gives it (agentAcls, the ones the Strimzi
// KafkaUsers in k8s/users/ are generated from), on the names of a Kafka namespace of its own
// (ACL_TEST_BASE_PORT: ports of its own, below 32768). A small fleet runs one workflow end to
// end under them and the broker must refuse none of its requests; then every agent of the
// catalog is refused, with a KAFKA_NOT_AUTHORIZED naming its user and what it may not do,
// each thing the ACLs do not give it: a topic it does not produce, one it does not consume or
// read, another agent's group and another agent's transactional id. A service run as the
// wrong user stops with one line saying so, rather than retrying.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FleetProcess,
  startFleet,
  stopFleet,
  type AgentName,
  type FleetOptions,
} from '@paxfleet/cli';
import {
  ConcurrentProcessor,
  connectTransactionalProducer,
  deleteNamespace,
  EventProducer,
  eventRegistry,
  type AgentSpec,
  type TopicName,
} from '@paxfleet/events';
import { agentUser } from '@paxfleet/events/agent-acls';
import { numberedTask } from '@paxfleet/events/testing';
import { AclAdmin } from '@paxfleet/kafka/acl-admin';
import { createKafka, KafkaError, kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { eventually } from '@paxfleet/kafka/testing';
import {
  adminEnv,
  agentConnection,
  agentScramEnvs,
  denials,
  grantAgentAcls,
  skipWithoutAgentUsers,
} from './agent-users.ts';
import { readTopic } from './topic-log.ts';

/** Every agent the chart runs by default but sales and content (marketing writes as they do), and the dashboard. */
const FLEET: readonly AgentName[] = [
  'coordinator',
  'research',
  'marketing',
  'seo',
  'oracle',
  'archiver',
  'dashboard',
];
/** Not the fleet test's 17070 (nor its shadow's 27070), the workflow test's 23070 or the dashboard's 25070. */
const BASE_PORT = Number(process.env.ACL_TEST_BASE_PORT ?? 21070);
const run = randomBytes(3).toString('hex');
const workDir = join(tmpdir(), `paxfleet-acl-${run}`);
const namespace = `acl-test-${run}`;
const registry = eventRegistry({ namespace });
const { agents, topics } = registry.catalog;

const skip = skipWithoutAgentUsers;

function fleetOptions(): FleetOptions {
  return {
    agents: FLEET,
    namespace,
    basePort: BASE_PORT,
    logDir: join(workDir, 'logs'),
    podsDir: join(workDir, 'pods'),
    // The namespace's topics are created as the admin; each agent then connects as itself.
    env: { ...adminEnv(), HEARTBEAT_INTERVAL_MS: '1000' },
    agentEnv: agentScramEnvs(agents.map((agent) => agent.name)),
  };
}

/** Asserts a KAFKA_NOT_AUTHORIZED naming the agent's user and the resource. */
function refusedFor(agent: AgentSpec, resource: string) {
  return (error: unknown) => {
    assert.ok(error instanceof KafkaError, String(error));
    assert.equal(error.code, 'KAFKA_NOT_AUTHORIZED', error.message);
    assert.ok(error.message.includes(`User:${agentUser(agent)}`), error.message);
    assert.ok(error.message.includes(resource), `${error.message} names ${resource}`);
    return true;
  };
}

/** The first catalog topic the agent may not touch this way, if any. */
function topicOutside(allowed: readonly string[]): TopicName | undefined {
  return topics.find((topic) => !allowed.includes(topic.name))?.name as TopicName | undefined;
}

/** Another agent: the next one in the catalog. */
function otherThan(agent: AgentSpec): AgentSpec {
  return agents[(agents.indexOf(agent) + 1) % agents.length] as AgentSpec;
}

/**
 * Runs a processor as the agent until the broker refuses it, and returns the refusal; the
 * processor's transactional id is the agent's own, so only the group or topic can be refused.
 */
async function processorRefusal(
  agent: AgentSpec,
  group: string,
  topic: TopicName,
): Promise<KafkaError> {
  const refused = Promise.withResolvers<KafkaError>();
  const processor = new ConcurrentProcessor({
    kafka: createKafka(agentConnection(agent.name, `acl-test-${agent.name}`)),
    registry,
    agent: agent.name,
    groupId: group,
    transactionalId: `${agent.group}-acl-test`,
    topics: [topic],
    transform: () => Promise.resolve(),
    onRefused: (error) => refused.resolve(error),
  });
  await processor.start();
  try {
    const timeout = AbortSignal.timeout(30_000);
    return await Promise.race([
      refused.promise,
      once(timeout, 'abort').then(() => assert.fail(`no refusal within 30 s for ${agent.name}`)),
    ]);
  } finally {
    await processor.stop();
  }
}

/**
 * Starts seo as marketing's user, waits until it stops by itself, and returns its log's
 * KAFKA_NOT_AUTHORIZED lines.
 */
async function refusalLines(name: string): Promise<string[]> {
  const options = fleetOptions();
  const logDir = join(workDir, name);
  mkdirSync(logDir, { recursive: true });
  const seo = new FleetProcess('seo', BASE_PORT + 9, {
    ...options,
    logDir,
    agentEnv: { seo: options.agentEnv?.marketing ?? {} },
  });
  seo.start();
  try {
    const running = await eventually(
      () => seo.running,
      (still) => !still,
      { timeoutMs: 60_000 },
    );
    assert.equal(running, false, 'seo stopped by itself');
  } finally {
    await seo.stop();
  }
  return readFileSync(join(logDir, 'seo.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('KAFKA_NOT_AUTHORIZED'));
}

describe(
  'every agent as its own Kafka user, under the ACLs the catalog gives it',
  { skip, timeout: 300_000 },
  () => {
    let fleet: Map<AgentName, FleetProcess> | undefined;
    let started = 0;

    before(async () => {
      started = Date.now();
      await grantAgentAcls(namespace);
      fleet = await startFleet(fleetOptions());
    });

    after(async () => {
      if (fleet) await stopFleet(fleet);
      const admin = createKafka(kafkaConnectionFromEnv(process.env, 'acl-test')).admin();
      await admin.connect();
      await deleteNamespace(admin, namespace).finally(() => admin.disconnect());
    });

    it("runs a workflow end to end, and the broker refuses none of the fleet's requests", async () => {
      const topic = `acl-${run}`;
      const response = await fetch(`${fleet?.get('coordinator')?.url}/research`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic, brief: `ACL test ${run}` }),
      });
      assert.equal(response.status, 202, await response.clone().text());
      const reports = await eventually(
        async () =>
          (await readTopic('seo-reports', registry)).filter(
            (event) => event.value.work_key === `content:${topic}`,
          ),
        (found) => found.length > 0,
        { timeoutMs: 90_000 },
      );
      assert.equal(reports.length, 1, 'one SEO report');
      const results = (await readTopic('content-results', registry)).filter(
        (event) => event.value.topic === topic,
      );
      assert.equal(results.length, 1, 'one content result');
      // As Prometheus does: each scrape of /metrics reads the service's consumer lag.
      for (const process of fleet?.values() ?? []) {
        const metrics = await fetch(`${process.url}/metrics`);
        assert.equal(metrics.status, 200, `${process.agent} /metrics`);
        assert.match(await metrics.text(), /kafka_consumer_lag_messages/, `${process.agent} lag`);
      }
      // The fleet's periodic work (heartbeats, renewals, the dashboard's reads) runs too.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      for (const process of fleet?.values() ?? [])
        assert.ok(process.running, `${process.agent} still runs`);
      assert.deepEqual(denials(namespace, started), [], 'requests the broker refused');
      await stopFleet(fleet ?? new Map());
      fleet = undefined;
    });

    for (const agent of agents) {
      describe(agent.name, () => {
        const other = otherThan(agent);

        it(`may not write a topic it does not produce`, async () => {
          const topic = topicOutside(agent.produces) as TopicName;
          const producer = new EventProducer({
            kafka: createKafka(agentConnection(agent.name, `acl-test-${agent.name}`)),
            registry,
            agent: agent.name,
          });
          await producer.connect();
          try {
            const onCluster = registry.physicalTopic(topic);
            await assert.rejects(
              producer.sendRecords([
                { topic: onCluster, key: 'forged', value: Buffer.from('forged'), headers: {} },
              ]),
              refusedFor(agent, onCluster),
            );
          } finally {
            await producer.disconnect();
          }
        });

        const unread = topicOutside([...agent.consumes, ...agent.reads]);
        it(
          'may not read a topic it does not consume or read',
          { skip: unread ? false : `${agent.name} reads every topic` },
          async () => {
            const topic = unread as TopicName;
            const refusal = await processorRefusal(agent, agent.group, topic);
            refusedFor(agent, registry.physicalTopic(topic))(refusal);
          },
        );

        it(`may not join another agent's consumer group (${other.group})`, async () => {
          const topic = (agent.consumes[0] ?? agent.reads[0] ?? 'research-tasks') as TopicName;
          const refusal = await processorRefusal(agent, other.group, topic);
          refusedFor(agent, registry.physicalId(other.group))(refusal);
        });

        it(`may not use another agent's transactional id (${other.group}-0)`, async () => {
          const transactionalId = registry.physicalId(`${other.group}-0`);
          await assert.rejects(
            connectTransactionalProducer({
              kafka: createKafka(agentConnection(agent.name, `acl-test-${agent.name}`)),
              transactionalId,
              transactionTimeoutMs: 10_000,
              maxRecordBytes: 1_000_000,
            }),
            refusedFor(agent, transactionalId),
          );
        });
      });
    }

    it('research may not write research-tasks in its transactions: its processor stops, naming the topic', async () => {
      const research = registry.catalog.agent('research');
      const admin = new EventProducer({
        kafka: createKafka(kafkaConnectionFromEnv(adminEnv(), 'acl-test-admin')),
        registry,
        agent: 'acl-test',
      });
      await admin.connect();
      const task = {
        ...numberedTask(0),
        task_id: `forge-${run}`,
        workflow_id: `workflow_forge_${run}`,
      };
      await admin
        .send('research-tasks', task.topic, task, { workflowId: task.workflow_id })
        .finally(() => admin.disconnect());
      const refused = Promise.withResolvers<KafkaError>();
      const processor = new ConcurrentProcessor({
        kafka: createKafka(agentConnection('research', 'acl-test-research')),
        registry,
        agent: 'research',
        groupId: research.group,
        transactionalId: `${research.group}-acl-test`,
        topics: ['research-tasks'],
        // A task forged back onto research-tasks, which only the coordinator writes.
        transform: (record, outbox) => {
          if (record.value.task_id === task.task_id)
            outbox.send('research-tasks', task.topic, record.value, record.context);
          return Promise.resolve();
        },
        onRefused: (error) => refused.resolve(error),
      });
      await processor.start();
      try {
        refusedFor(research, registry.physicalTopic('research-tasks'))(await refused.promise);
      } finally {
        await processor.stop();
      }
    });

    it("seo run as marketing's user stops at start: one line, the transactional id it may not use", async () => {
      const lines = await refusalLines('seo-as-marketing');
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0] as string, /"message":"start failed"/);
      assert.match(
        lines[0] as string,
        /User:paxfleet-marketing may not use transactional id acl-test-[0-9a-f]+\.paxfleet-seo-/,
      );
    });

    it("given seo's transactional ids too, it stops while running: one line, the group it may not join", async () => {
      const admin = new AclAdmin(kafkaConnectionFromEnv(adminEnv(), 'acl-test-admin'));
      try {
        await admin.allow(`User:${agentUser({ name: 'marketing' })}`, [
          {
            resource: {
              type: 'transactionalId',
              name: registry.physicalId('paxfleet-seo-'),
              patternType: 'prefix',
            },
            operations: ['Describe', 'Write'],
            host: '*',
          },
        ]);
      } finally {
        await admin.close();
      }
      const lines = await refusalLines('seo-as-marketing-with-its-ids');
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0] as string, /"message":"cannot go on"/);
      assert.match(
        lines[0] as string,
        /User:paxfleet-marketing may not join consumer group acl-test-[0-9a-f]+\.paxfleet-seo .*GROUP_AUTHORIZATION_FAILED/,
      );
    });
  },
);
