import { checkNamespace, namespaced, type Admin } from '@paxfleet/kafka';
import type { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import type { TopicCatalog, TopicSpec } from './catalog.ts';

export interface ApplyOptions {
  /** Brokers in the cluster: replication factor and min.insync.replicas are capped to it. */
  readonly brokerCount: number;
  /** Whether the cluster has tiered storage (remote.log.storage.system.enable). */
  readonly tieredStorage?: boolean;
  /** The Kafka namespace whose topics to apply (`<namespace>.<topic>`); the live topics without one. */
  readonly namespace?: string;
}

/** Topics named as the cluster names them (with the namespace, if any). */
export interface ApplyReport {
  readonly created: string[];
  readonly updated: { topic: string; configs: string[] }[];
  readonly unchanged: string[];
  /** Partition counts in the catalog that differ from the cluster's; Kafka cannot shrink, and growing breaks key order. */
  readonly partitionMismatches: { topic: string; catalog: number; cluster: number }[];
}

/** The topic-level configs the catalog sets, as the broker spells them. */
export function topicConfigs(spec: TopicSpec, options: ApplyOptions): Record<string, string> {
  const configs: Record<string, string> = {
    'cleanup.policy': spec.cleanupPolicy,
    'min.insync.replicas': String(Math.min(spec.minInsyncReplicas, options.brokerCount)),
  };
  configs['retention.ms'] = String(spec.retentionMs);
  // Kafka's remote tier takes no compacted topic (KIP-405): such a topic stays on broker disks.
  if (spec.tiers && options.tieredStorage && !spec.cleanupPolicy.includes('compact')) {
    // Recent records stay on broker disks; older ones are served from the remote tier.
    configs['remote.storage.enable'] = 'true';
    configs['local.retention.ms'] = String(spec.tiers.hotMs);
  }
  return configs;
}

/** Creates missing topics (in the namespace, if one is given) and brings configs in line; idempotent. */
export async function applyCatalog(
  admin: Admin,
  configs: TopicConfigAdmin,
  catalog: TopicCatalog,
  options: ApplyOptions,
): Promise<ApplyReport> {
  const namespace = options.namespace === undefined ? undefined : checkNamespace(options.namespace);
  const specs = catalog.topics.map((spec) => ({ ...spec, name: namespaced(namespace, spec.name) }));
  const report: ApplyReport = { created: [], updated: [], unchanged: [], partitionMismatches: [] };
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: Math.min(spec.replicationFactor, options.brokerCount),
        configEntries: Object.entries(topicConfigs(spec, options)).map(([name, value]) => ({
          name,
          value,
        })),
      })),
    });
    report.created.push(...missing.map((spec) => spec.name));
  }
  const present = specs.filter((spec) => existing.has(spec.name));
  if (present.length === 0) return report;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
  const current = await configs.describe(present.map((spec) => spec.name));
  for (const spec of present) {
    const partitions = metadata.find((topic) => topic.name === spec.name)?.partitions.length ?? 0;
    if (partitions !== spec.partitions) {
      report.partitionMismatches.push({
        topic: spec.name,
        catalog: spec.partitions,
        cluster: partitions,
      });
    }
    const wanted = topicConfigs(spec, options);
    const now = current.get(spec.name) ?? {};
    const changed = Object.fromEntries(
      Object.entries(wanted).filter(([name, value]) => now[name] !== value),
    );
    if (Object.keys(changed).length === 0) {
      report.unchanged.push(spec.name);
      continue;
    }
    await configs.set(spec.name, changed);
    report.updated.push({ topic: spec.name, configs: Object.keys(changed) });
  }
  return report;
}

/** What deleteNamespace deleted, by the cluster's names. */
export interface NamespaceDeletion {
  readonly groups: string[];
  readonly topics: string[];
}

/**
 * Deletes every consumer group and topic of a Kafka namespace (`<namespace>.*`): what a
 * shadow fleet leaves behind once it has stopped. Groups go first, so a namespace whose
 * fleet still runs fails (GROUP_NOT_EMPTY) before any of its topics is gone. Nothing
 * outside the namespace is touched: live names hold no dot. Transactional ids stay until
 * the brokers expire them (transactional.id.expiration.ms, 7 days by default); Kafka has
 * no request that deletes one.
 */
export async function deleteNamespace(admin: Admin, namespace: string): Promise<NamespaceDeletion> {
  const prefix = `${checkNamespace(namespace)}.`;
  const { groups: listed } = await admin.listGroups();
  const groups = listed.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
  if (groups.length > 0) await admin.deleteGroups(groups);
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  return { groups: groups.sort(), topics: topics.sort() };
}
