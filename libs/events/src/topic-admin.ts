import type { Admin } from '@paxfleet/kafka';
import type { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import type { TopicCatalog, TopicSpec } from './catalog.ts';

export interface ApplyOptions {
  /** Brokers in the cluster: replication factor and min.insync.replicas are capped to it. */
  readonly brokerCount: number;
  /** Whether the cluster has tiered storage (remote.log.storage.system.enable). */
  readonly tieredStorage?: boolean;
}

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
  if (spec.tiers && options.tieredStorage) {
    // Recent records stay on broker disks; older ones are served from the remote tier.
    configs['remote.storage.enable'] = 'true';
    configs['local.retention.ms'] = String(spec.tiers.hotMs);
  }
  return configs;
}

/** Creates missing topics and brings configs in line; idempotent. */
export async function applyCatalog(
  admin: Admin,
  configs: TopicConfigAdmin,
  catalog: TopicCatalog,
  options: ApplyOptions,
): Promise<ApplyReport> {
  const report: ApplyReport = { created: [], updated: [], unchanged: [], partitionMismatches: [] };
  const existing = new Set(await admin.listTopics());
  const missing = catalog.topics.filter((spec) => !existing.has(spec.name));
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
  const present = catalog.topics.filter((spec) => existing.has(spec.name));
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
