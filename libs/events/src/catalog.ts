import { EventsError } from './errors.ts';
import type { SchemaSet } from './avro/schema-set.ts';

export interface TopicSpec {
  readonly name: string;
  readonly description: string;
  readonly key: string;
  readonly valueSchema: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  /** How long Kafka serves a record (retention.ms); -1 keeps forever. */
  readonly retentionMs: number;
  /** With tiered storage: ms on broker disks (hot) before only the remote (warm) tier has it; the cold archive's ms. */
  readonly tiers?: { readonly hotMs: number; readonly archiveMs: number };
  /** Key prefix of the blobs its records reference (bodies too large to ride inline), e.g. research/. */
  readonly blobPrefix?: string;
}

export interface AgentSpec {
  readonly name: string;
  readonly group: string;
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
  readonly describesAllGroups: boolean;
}

export interface TopicCatalog {
  readonly topics: readonly TopicSpec[];
  readonly agents: readonly AgentSpec[];
  topic(name: string): TopicSpec;
  agent(name: string): AgentSpec;
}

const durationUnits: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

export function parseDuration(text: string, where: string): number {
  if (text === 'forever') return -1;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match)
    throw invalid(`${where} must be a duration such as 24h or 7d, or "forever" (got "${text}")`);
  return Number(match[1]) * (durationUnits[match[2] as string] as number);
}

function invalid(message: string): EventsError {
  return new EventsError('CATALOG_INVALID', `schemas/topics.json: ${message}`);
}

interface RawTopic {
  name: string;
  description?: string;
  key: string;
  valueSchema: string;
  partitions: number;
  replicationFactor?: number;
  minInsyncReplicas?: number;
  cleanupPolicy: string;
  retention: string;
  tiers?: { hot: string; archive: string };
  blobPrefix?: string;
}

interface RawCatalog {
  defaults: { replicationFactor: number; minInsyncReplicas: number };
  topics: RawTopic[];
  agents: Record<
    string,
    { group: string; consumes: string[]; produces: string[]; describesAllGroups?: boolean }
  >;
}

const cleanupPolicies = ['delete', 'compact', 'compact,delete'] as const;

/** Validates the catalog against itself and the schemas: every name, schema and duration must resolve. */
export function parseCatalog(source: unknown, schemas: SchemaSet): TopicCatalog {
  const raw = source as RawCatalog;
  if (!Array.isArray(raw?.topics) || typeof raw.agents !== 'object')
    throw invalid('needs "topics" and "agents"');
  const topics = raw.topics.map((topic): TopicSpec => {
    const where = `topic ${topic.name ?? '(unnamed)'}`;
    if (!/^[a-z][a-z0-9-]*$/.test(topic.name ?? ''))
      throw invalid(`${where}: name must be lower-case kebab`);
    if (!schemas.events().includes(topic.valueSchema)) {
      throw invalid(`${where}: valueSchema "${topic.valueSchema}" has no folder in schemas/`);
    }
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1)
      throw invalid(`${where}: partitions must be >= 1`);
    const cleanupPolicy = cleanupPolicies.find((policy) => policy === topic.cleanupPolicy);
    if (!cleanupPolicy)
      throw invalid(`${where}: cleanupPolicy must be one of ${cleanupPolicies.join(', ')}`);
    const retentionMs = parseDuration(topic.retention, `${where} retention`);
    const tiers = topic.tiers && {
      hotMs: parseDuration(topic.tiers.hot, `${where} tiers.hot`),
      archiveMs: parseDuration(topic.tiers.archive, `${where} tiers.archive`),
    };
    if (tiers && (tiers.hotMs < 0 || (retentionMs >= 0 && tiers.hotMs > retentionMs))) {
      throw invalid(`${where}: tiers.hot must be a duration no longer than retention`);
    }
    if (topic.blobPrefix !== undefined && !/^[a-z][a-z0-9-]*\/$/.test(topic.blobPrefix)) {
      throw invalid(
        `${where}: blobPrefix must be a lower-case kebab name ending in / (got "${topic.blobPrefix}")`,
      );
    }
    return {
      name: topic.name,
      description: topic.description ?? '',
      key: topic.key,
      valueSchema: topic.valueSchema,
      partitions: topic.partitions,
      replicationFactor: topic.replicationFactor ?? raw.defaults.replicationFactor,
      minInsyncReplicas: topic.minInsyncReplicas ?? raw.defaults.minInsyncReplicas,
      cleanupPolicy,
      retentionMs,
      ...(tiers && { tiers }),
      ...(topic.blobPrefix && { blobPrefix: topic.blobPrefix }),
    };
  });
  const names = new Set(topics.map((topic) => topic.name));
  if (names.size !== topics.length) throw invalid('topic names must be unique');
  const agents = Object.entries(raw.agents).map(([name, agent]): AgentSpec => {
    for (const topic of [...agent.consumes, ...agent.produces]) {
      if (!names.has(topic)) throw invalid(`agent ${name} uses unknown topic "${topic}"`);
    }
    return {
      name,
      group: agent.group,
      consumes: agent.consumes,
      produces: agent.produces,
      describesAllGroups: agent.describesAllGroups ?? false,
    };
  });
  return {
    topics,
    agents,
    topic(name) {
      const found = topics.find((topic) => topic.name === name);
      if (!found)
        throw new EventsError('TOPIC_UNKNOWN', `topic "${name}" is not in the catalog`, {
          details: { topic: name },
        });
      return found;
    },
    agent(name) {
      const found = agents.find((agent) => agent.name === name);
      if (!found) throw invalid(`agent "${name}" is not in the catalog`);
      return found;
    },
  };
}
