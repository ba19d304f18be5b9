import { lookUpWorkflow, type ArchiveLookup } from '@paxfleet/archive';
import { type KafkaConnection, type PartitionRecord } from '@paxfleet/kafka';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import {
  HEADER,
  TopicReader,
  type BlobStore,
  type EventRegistry,
  type TopicName,
  type TopicValues,
} from '@paxfleet/events';

export interface TimelineEntry {
  readonly timestamp: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly eventType: string;
  readonly producer: string;
  readonly value: unknown;
  /**
   * Where the record was read: the broker from its disks, the broker from its remote tier
   * (warm: below the partition's local log start when the read began), or the cold archive
   * (no longer on the broker).
   */
  readonly source: 'broker' | 'warm' | 'archive';
}

/** What a timeline read, for the archive part: objects and index entries. */
export interface TimelineRead {
  readonly entries: TimelineEntry[];
  readonly archive?: Omit<ArchiveLookup, 'records'> & { readonly records: number };
}

type Located = Pick<
  PartitionRecord,
  'timestamp' | 'topic' | 'partition' | 'offset' | 'key' | 'headers'
>;

/** A record as the timeline shows it: its coordinates, event type, producer and value. */
export function timelineEntry(
  record: Located,
  value: unknown,
  source: TimelineEntry['source'],
): TimelineEntry {
  return {
    timestamp: record.timestamp,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key?.toString('utf8') ?? null,
    eventType: record.headers[HEADER.eventType]?.toString('utf8') ?? '',
    producer: record.headers[HEADER.producer]?.toString('utf8') ?? '',
    value,
    source,
  };
}

/** How much earlier than the first archived record the broker is read: producers' clocks differ. */
const WORKFLOW_CLOCK_SKEW_MS = 60_000;

const byTime = (a: TimelineEntry, b: TimelineEntry) =>
  a.timestamp - b.timestamp || a.topic.localeCompare(b.topic) || a.offset - b.offset;

/**
 * One workflow's whole history: from the cold archive when one is given (its workflow
 * index names the few objects to read), and every committed record still on the broker;
 * a record in both is shown once, from the broker. In time order, each saying its source.
 * `began` (epoch ms), when the caller knows when the workflow started, lets the broker be
 * read from a little before it (the time index) even without an archive.
 */
export async function workflowHistory(
  connection: KafkaConnection,
  registry: EventRegistry,
  workflowId: string,
  archive?: { readonly store: BlobStore; readonly topics: readonly string[] },
  options: { readonly began?: number } = {},
): Promise<TimelineRead> {
  const known =
    options.began === undefined ? {} : { since: options.began - WORKFLOW_CLOCK_SKEW_MS };
  if (!archive) return { entries: await workflowTimeline(connection, registry, workflowId, known) };
  const lookup = await lookUpWorkflow(archive.store, archive.topics, workflowId);
  // What the archive has tells when the workflow began: the broker is read from a little
  // before that, not from the start of every partition.
  const began = Math.min(
    ...lookup.records.map((record) => record.timestamp),
    options.began ?? Number.POSITIVE_INFINITY,
  );
  const live = await workflowTimeline(
    connection,
    registry,
    workflowId,
    Number.isFinite(began) ? { since: began - WORKFLOW_CLOCK_SKEW_MS } : {},
  );
  const onBroker = new Set(
    live.map((entry) => `${entry.topic}/${entry.partition}/${entry.offset}`),
  );
  const archived = lookup.records
    .filter((record) => !onBroker.has(`${record.topic}/${record.partition}/${record.offset}`))
    .map((record) => {
      const headers = Object.fromEntries(
        record.headers.flatMap(({ key, value }) => (value ? [[key, value] as const] : [])),
      );
      let value: unknown;
      try {
        value = record.value
          ? registry.codecForTopic(record.topic as TopicName).decode(record.value).value
          : { undecodable: 'no value' };
      } catch (error) {
        value = { undecodable: (error as Error).message };
      }
      return timelineEntry({ ...record, headers }, value, 'archive');
    });
  return {
    entries: [...archived, ...live].sort(byTime),
    archive: {
      records: lookup.records.length,
      objectsRead: lookup.objectsRead,
      indexEntries: lookup.indexEntries,
    },
  };
}

/** How much of the broker a timeline read. */
export interface BrokerScan {
  readonly partitions: number;
  readonly records: number;
}

/**
 * Every committed record of one workflow still on the broker, from every topic in the
 * catalog, in time order: the replay the article's debugging needed, without grepping logs.
 * With `since` (epoch ms), each partition is read from the first record at or after it
 * (the broker's time index, ListOffsets by timestamp), not from its start.
 */
export async function workflowTimeline(
  connection: KafkaConnection,
  registry: EventRegistry,
  workflowId: string,
  options: { readonly since?: number; readonly scanned?: (scan: BrokerScan) => void } = {},
): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  // Per partition of the topic being read, where its local log started (tiered storage):
  // the records before it the broker could only serve from the remote tier.
  let localStarts: ReadonlyMap<number, number> = new Map();
  const entry = (record: Located, value: unknown) =>
    timelineEntry(
      record,
      value,
      record.offset < (localStarts.get(record.partition) ?? -1) ? 'warm' : 'broker',
    );
  // A record of the workflow that does not decode is still part of its history: shown as such.
  const reader = new TopicReader(connection, registry, {
    clientId: 'paxfleet-timeline',
    onUndecodable: (record, error) => entries.push(entry(record, { undecodable: error.message })),
  });
  const tiers = registry.catalog.topics.some((spec) => spec.tiers)
    ? new TopicConfigAdmin(connection)
    : undefined;
  let partitions = 0;
  let records = 0;
  await reader.connect();
  try {
    for (const spec of registry.catalog.topics) {
      const topic = spec.name as TopicName;
      // Read before the records, so a record called warm was off the broker's disks. A broker
      // that cannot say (no ListOffsets EARLIEST_LOCAL) just gets no warm records.
      localStarts =
        (spec.tiers &&
          (await tiers?.localLogStarts(registry.physicalTopic(topic)).catch(() => undefined))) ||
        new Map();
      const starts = await reader.everyPartition(
        topic,
        options.since === undefined ? 'beginning' : { atOrAfter: options.since },
      );
      partitions += starts.length;
      await reader.readToEnd(
        starts,
        (record) => entries.push(entry(record, record.value)),
        (record) => {
          records += 1;
          return (
            record.value !== null &&
            record.headers[HEADER.workflowId]?.toString('utf8') === workflowId
          );
        },
      );
    }
    options.scanned?.({ partitions, records });
    return entries.sort(byTime);
  } finally {
    await tiers?.close();
    await reader.close();
  }
}

/**
 * One line per record: time, the delay since the record before it (a hop: how long the
 * next step took to happen), source, topic and coordinates, event type, producer, and
 * what it says. An agent-activity record also shows the lag its agent reported then.
 */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries
    .map((entry, index) => {
      const time = new Date(entry.timestamp).toISOString().slice(11, 23);
      const previous = entries[index - 1];
      const hop = previous ? `+${entry.timestamp - previous.timestamp} ms` : '';
      const where = `${entry.topic}[${entry.partition}]@${entry.offset}`;
      return `${time} ${hop.padStart(10)}  ${entry.source.padEnd(7)} ${where.padEnd(28)} ${entry.eventType.padEnd(20)} ${entry.producer.padEnd(12)} ${summarize(entry.value)}`;
    })
    .join('\n');
}

/** What a workflow's model calls took and cost, from its model-calls records. */
export interface WorkflowCost {
  readonly calls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly usd: number;
  readonly byAgent: ReadonlyMap<string, { calls: number; usd: number }>;
}

export function workflowCost(entries: readonly TimelineEntry[]): WorkflowCost {
  const byAgent = new Map<string, { calls: number; usd: number }>();
  let promptTokens = 0;
  let completionTokens = 0;
  let usd = 0;
  let calls = 0;
  for (const entry of entries) {
    if (entry.topic !== 'model-calls') continue;
    const call = entry.value as TopicValues['model-calls'];
    calls += 1;
    promptTokens += call.prompt_tokens;
    completionTokens += call.completion_tokens;
    usd += call.cost_usd;
    const agent = byAgent.get(call.agent) ?? { calls: 0, usd: 0 };
    byAgent.set(call.agent, { calls: agent.calls + 1, usd: agent.usd + call.cost_usd });
  }
  return { calls, promptTokens, completionTokens, usd, byAgent };
}

/** `cost: 4 model calls, 812 tokens in, 2301 out, $0.0015 (research 1 call $0.0004, ...)` */
export function formatCost(cost: WorkflowCost): string {
  const dollars = (usd: number) => `$${usd.toFixed(4)}`;
  const agents = [...cost.byAgent]
    .map(
      ([agent, spent]) =>
        `${agent} ${spent.calls} call${spent.calls === 1 ? '' : 's'} ${dollars(spent.usd)}`,
    )
    .join(', ');
  return `cost: ${cost.calls} model call${cost.calls === 1 ? '' : 's'}, ${cost.promptTokens} tokens in, ${cost.completionTokens} out, ${dollars(cost.usd)}${agents ? ` (${agents})` : ''}`;
}

/** The fields of a record that say what it is about, as `key=value` pairs (one line of the timeline). */
export function summarize(value: unknown): string {
  const record = value as Record<string, unknown>;
  const keys = [
    'topic',
    'work_key',
    'agent',
    'action',
    'decision',
    'holder',
    'epoch',
    'outcome',
    'reason',
    'status',
    'format',
    'score',
    'lag_ms',
    'model',
    'prompt_tokens',
    'completion_tokens',
    'cost_usd',
  ];
  return keys
    .filter((key) => record[key] !== undefined && record[key] !== null && record[key] !== '')
    .map((key) => {
      const value = record[key];
      // Dollars and other fractions to six significant digits, not float noise.
      const text =
        typeof value === 'number' && !Number.isInteger(value)
          ? String(Number(value.toPrecision(6)))
          : String(value);
      return `${key}=${text}`;
    })
    .join(' ');
}
