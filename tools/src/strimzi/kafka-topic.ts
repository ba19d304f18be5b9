import { topicConfigs, type TopicSpec } from '@paxfleet/events';
import { ToolError } from '../tool-error.ts';
import { CLUSTER, isResourceName } from './resource.ts';

type ConfigValue = string | number | boolean;

/** A topic config as Strimzi takes it: numbers and booleans typed, the rest strings. */
function configValue(text: string): ConfigValue {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/**
 * The topic's configs, the ones libs/events applies to a cluster (topicConfigs): on one
 * with tiered storage, records older than tiers.hot are served from the remote tier.
 * A cluster that hosts the topic has a broker per replica, so the broker count given is
 * the replication factor (min.insync.replicas is at most that).
 */
export function kafkaTopicConfig(
  spec: TopicSpec,
  tieredStorage: boolean,
): Record<string, ConfigValue> {
  const configs = topicConfigs(spec, { brokerCount: spec.replicationFactor, tieredStorage });
  return Object.fromEntries(
    Object.entries(configs).map(([name, text]) => [name, configValue(text)]),
  );
}

/** The KafkaTopic resource of one catalog topic. */
export function kafkaTopic(spec: TopicSpec, tieredStorage: boolean) {
  if (!isResourceName(spec.name)) {
    throw new ToolError(
      'CATALOG_INVALID',
      `topic ${spec.name}: not a valid Kubernetes resource name`,
    );
  }
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: {
      name: spec.name,
      labels: { 'strimzi.io/cluster': CLUSTER, 'app.kubernetes.io/part-of': 'paxfleet' },
    },
    spec: {
      partitions: spec.partitions,
      replicas: spec.replicationFactor,
      config: kafkaTopicConfig(spec, tieredStorage),
    },
  };
}
