import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testCatalog } from '../testing.ts';
import { kafkaTopic, kafkaTopicConfig } from './kafka-topic.ts';

const DAY_MS = 86_400_000;

describe('KafkaTopic', () => {
  it('maps retention to retention.ms with the catalog parser, ms included', () => {
    const catalog = testCatalog([
      { name: 'days', retention: '7d' },
      { name: 'hours', retention: '24h' },
      { name: 'millis', retention: '1500ms' },
      { name: 'kept', retention: 'forever' },
    ]);
    assert.deepEqual(
      catalog.topics.map((topic) => kafkaTopicConfig(topic, false)['retention.ms']),
      [7 * DAY_MS, DAY_MS, 1500, -1],
    );
  });

  it('keeps the hot tier on broker disks only where the cluster has tiered storage', () => {
    const [topic] = testCatalog([
      { name: 'events', retention: '30d', tiers: { hot: '7d', archive: '90d' } },
    ]).topics;
    assert.ok(topic);
    assert.deepEqual(kafkaTopicConfig(topic, false), {
      'cleanup.policy': 'delete',
      'min.insync.replicas': 2,
      'retention.ms': 30 * DAY_MS,
    });
    assert.deepEqual(kafkaTopicConfig(topic, true), {
      'cleanup.policy': 'delete',
      'min.insync.replicas': 2,
      'retention.ms': 30 * DAY_MS,
      'remote.storage.enable': true,
      'local.retention.ms': 7 * DAY_MS,
    });
  });

  it('gives a topic without tiers the same configs on either cluster', () => {
    const [topic] = testCatalog([
      { name: 'claims', cleanupPolicy: 'compact,delete', minInsyncReplicas: 1 },
    ]).topics;
    assert.ok(topic);
    assert.deepEqual(kafkaTopicConfig(topic, true), kafkaTopicConfig(topic, false));
    assert.equal(kafkaTopicConfig(topic, false)['cleanup.policy'], 'compact,delete');
    assert.equal(kafkaTopicConfig(topic, false)['min.insync.replicas'], 1);
  });

  it('labels the resource for the paxfleet Strimzi cluster', () => {
    const [topic] = testCatalog([{ name: 'tasks' }]).topics;
    assert.ok(topic);
    const resource = kafkaTopic(topic, false);
    assert.equal(resource.metadata.name, 'tasks');
    assert.equal(resource.metadata.labels['strimzi.io/cluster'], 'paxfleet');
    assert.deepEqual(
      { partitions: resource.spec.partitions, replicas: resource.spec.replicas },
      { partitions: 6, replicas: 3 },
    );
  });

  it('refuses a topic name Kubernetes does not take', () => {
    const [topic] = testCatalog([{ name: 'tasks-' }]).topics;
    assert.ok(topic);
    assert.throws(
      () => kafkaTopic(topic, false),
      /CATALOG_INVALID: topic tasks-: not a valid Kubernetes resource name/,
    );
  });

  it('refuses a retention that is not a duration, naming the topic', () => {
    assert.throws(
      () => testCatalog([{ name: 'tasks', retention: '1w' }]),
      /topic tasks retention must be a duration/,
    );
  });
});
