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

/** What a writer agent produces from research (content-results.format). */
export interface ContentFormat {
  /** content-results.format: blog_post, prospect_deck, newsletter. */
  readonly id: string;
  /** For prompts and titles: "blog post". */
  readonly noun: string;
  readonly audience: string;
}

/**
 * A service of the fleet, declared once in the catalog: the launcher, the chart's components,
 * the k8s users, the README's table and the service's own defaults all come from here.
 */
export interface AgentSpec {
  readonly name: string;
  /** What it does, one line (the README's service table). */
  readonly summary: string;
  /** Its port on one machine (the fleet launcher and a bare `node` run); the chart uses 8080. */
  readonly port: number;
  readonly group: string;
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
  /**
   * Topics it reads outside any consumer group (a TopicReader: no offsets committed, no
   * lag to scale on), e.g. the dashboard's; consumes is for its group.
   */
  readonly reads: readonly string[];
  readonly describesAllGroups: boolean;
  /**
   * Off in the chart unless `components.<name>.enabled` turns it on (the dashboard); the
   * local launcher starts it like every other service.
   */
  readonly optional: boolean;
  /** Whether it asks the coordinator for work (it produces claim-requests). */
  readonly claims: boolean;
  /** How old an input may be before it is stale (MAX_EVENT_AGE_MS's default); agents only. */
  readonly maxEventAgeMs?: number;
  /** What it writes, for a writer agent. */
  readonly format?: ContentFormat;
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
    {
      summary: string;
      port: number;
      group: string;
      consumes: string[];
      produces: string[];
      reads?: string[];
      describesAllGroups?: boolean;
      optional?: boolean;
      maxEventAge?: string;
      format?: ContentFormat;
    }
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
    for (const topic of [...agent.consumes, ...agent.produces, ...(agent.reads ?? [])]) {
      if (!names.has(topic)) throw invalid(`agent ${name} uses unknown topic "${topic}"`);
    }
    if (typeof agent.summary !== 'string' || agent.summary === '')
      throw invalid(`agent ${name} needs a summary`);
    if (!Number.isInteger(agent.port) || agent.port < 1024 || agent.port > 65535)
      throw invalid(`agent ${name}: port must be an integer between 1024 and 65535`);
    const format = agent.format;
    if (
      format &&
      ![format.id, format.noun, format.audience].every(
        (text) => typeof text === 'string' && text !== '',
      )
    )
      throw invalid(`agent ${name}: format needs an id, a noun and an audience`);
    return {
      name,
      summary: agent.summary,
      port: agent.port,
      group: agent.group,
      consumes: agent.consumes,
      produces: agent.produces,
      reads: agent.reads ?? [],
      describesAllGroups: agent.describesAllGroups ?? false,
      optional: agent.optional ?? false,
      claims: agent.produces.includes('claim-requests'),
      ...(agent.maxEventAge && {
        maxEventAgeMs: parseDuration(agent.maxEventAge, `agent ${name} maxEventAge`),
      }),
      ...(format && { format: { id: format.id, noun: format.noun, audience: format.audience } }),
    };
  });
  const ports = new Set(agents.map((agent) => agent.port));
  if (ports.size !== agents.length) throw invalid('agent ports must be unique');
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
