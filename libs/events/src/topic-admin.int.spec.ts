import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaConnectionFromEnv, type Admin } from '@paxfleet/kafka';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { EventProducer } from './event-producer.ts';
import { isolatedTopics } from './testing.ts';
import { applyCatalog, deleteNamespace } from './topic-admin.ts';

const kafka = testKafka('topic-admin-test');
const configs = new TopicConfigAdmin(kafkaConnectionFromEnv(process.env, 'topic-admin-test'));
const topics = isolatedTopics(['research-events', 'content-claims', 'agent-progress']);
const { catalog } = topics.registry;
let admin: Admin;

describe('applyCatalog on the real broker', () => {
  before(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin.disconnect();
    await configs.close();
  });

  it('reads the cluster: one broker, no tiered storage', async () => {
    assert.deepEqual(await configs.cluster(), { brokerCount: 1, tieredStorage: false });
  });

  it('creates missing topics with the catalog configs, then changes nothing on a second run', async () => {
    const first = await applyCatalog(admin, configs, catalog, { brokerCount: 1 });
    assert.deepEqual(first.created.sort(), catalog.topics.map((topic) => topic.name).sort());
    const claims = topics.names['content-claims'];
    const described = (await configs.describe([claims])).get(claims);
    assert.equal(described?.['cleanup.policy'], 'compact,delete');
    assert.equal(described?.['retention.ms'], '86400000');

    const names = catalog.topics.map((topic) => topic.name);
    await eventually(
      () => admin.listTopics(),
      (listed) => names.every((name) => listed.includes(name)),
    );
    const second = await applyCatalog(admin, configs, catalog, { brokerCount: 1 });
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.updated, []);
    assert.equal(second.unchanged.length, catalog.topics.length);
  });

  it('puts back a config changed by hand and reports a partition count it cannot change', async () => {
    const progress = topics.names['agent-progress'];
    await configs.set(progress, { 'retention.ms': '1000' });
    await eventually(
      async () => (await configs.describe([progress])).get(progress)?.['retention.ms'],
      (value) => value === '1000',
    );
    await admin.deleteTopics({ topics: [topics.names['research-events']] });
    await eventually(
      () => admin.listTopics(),
      (listed) => !listed.includes(topics.names['research-events']),
    );
    await admin.createTopics({
      topics: [{ topic: topics.names['research-events'], numPartitions: 2, replicationFactor: 1 }],
    });
    await eventually(
      () =>
        admin
          .fetchTopicMetadata({ topics: [topics.names['research-events']] })
          .then(([topic]) => topic?.partitions.length)
          .catch(() => undefined),
      (partitions) => partitions === 2,
    );

    const report = await applyCatalog(admin, configs, catalog, { brokerCount: 1 });
    assert.deepEqual(
      report.updated.find((entry) => entry.topic === progress),
      { topic: progress, configs: ['retention.ms'] },
    );
    // Brokers apply config changes from the metadata log a moment after the request returns.
    const retention = await eventually(
      async () => (await configs.describe([progress])).get(progress)?.['retention.ms'],
      (value) => value === '86400000',
    );
    assert.equal(retention, '86400000');
    assert.deepEqual(report.partitionMismatches, [
      { topic: topics.names['research-events'], catalog: 6, cluster: 2 },
    ]);
  });

  it('creates a namespace’s topics, and deletes its groups and topics (only its own) once its fleet has stopped', async () => {
    const live = catalog.topics.map((topic) => topic.name);
    await applyCatalog(admin, configs, catalog, { brokerCount: 1 });
    const namespace = uniqueName('shadow');
    const shadow = topics.registry.inNamespace(namespace);
    const physical = live.map((name) => shadow.physicalTopic(name)).sort();
    const report = await applyCatalog(admin, configs, catalog, { brokerCount: 1, namespace });
    assert.deepEqual(report.created.sort(), physical);
    const claims = shadow.physicalTopic(topics.names['content-claims']);
    await eventually(
      async () => (await configs.describe([claims])).get(claims)?.['cleanup.policy'],
      (policy) => policy === 'compact,delete',
    );

    // A group of the namespace with a committed offset, still a member at first.
    const progress = topics.names['agent-progress'];
    const producer = new EventProducer({ kafka, registry: shadow, agent: 'test' });
    await producer.connect();
    await producer.send(
      progress,
      'research',
      {
        agent: 'research',
        instance: 'i',
        state: 'idle',
        workflow_id: null,
        work_key: null,
        step: 0,
        total_steps: 0,
        status: 'idle',
        at: 1,
        in_flight: 0,
        work: [],
      },
      { workflowId: 'w' },
    );
    await producer.disconnect();
    const group = shadow.physicalId('paxfleet-test');
    const consumer = kafka.consumer({
      'group.id': group,
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': false,
    });
    const consumed = Promise.withResolvers<void>();
    await consumer.connect();
    await consumer.subscribe({ topics: [shadow.physicalTopic(progress)] });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const last = batch.messages.at(-1);
        if (!last) return;
        await consumer.commitOffsets([
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: String(Number(last.offset) + 1),
          },
        ]);
        consumed.resolve();
      },
    });
    await consumed.promise;
    await assert.rejects(deleteNamespace(admin, namespace), 'a group with members is not deleted');
    assert.ok((await admin.listTopics()).includes(claims), 'nor are its topics');
    await consumer.disconnect();

    const deleted = await deleteNamespace(admin, namespace);
    assert.deepEqual(deleted, { groups: [group], topics: physical });
    const listedTopics = await eventually(
      () => admin.listTopics(),
      (listed) => !listed.some((topic) => topic.startsWith(`${namespace}.`)),
    );
    assert.ok(!listedTopics.some((topic) => topic.startsWith(`${namespace}.`)));
    assert.ok(
      live.every((topic) => listedTopics.includes(topic)),
      'the live topics stay',
    );
    const { groups } = await admin.listGroups();
    assert.ok(!groups.some(({ groupId }) => groupId.startsWith(`${namespace}.`)));
    assert.deepEqual(await deleteNamespace(admin, namespace), { groups: [], topics: [] });
  });
});
