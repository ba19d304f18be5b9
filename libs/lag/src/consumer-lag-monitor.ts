import { Counter, Gauge, type Registry } from 'prom-client';
import { isUnknownTopic, namespaced, type KafkaConnection } from '@paxfleet/kafka';
import { LagError } from './errors.ts';
import { KafkaLagSource, type LagSource, type PartitionEnds } from './kafka-source.ts';
import { mayLag, partitionLag, resumePosition, type OldestRecord } from './lag.ts';

/** Lag of one consumer group on one partition, as last computed. */
export interface PartitionLagRow {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** The committed offset; undefined when the group has none on this partition. */
  readonly committed: number | undefined;
  /** Where the group resumes: the committed offset, or the low watermark without one. */
  readonly position: number;
  readonly lastStable: number;
  readonly messages: number;
  /** Undefined when not known (no read yet, or the record has no timestamp). */
  readonly seconds: number | undefined;
}

/** The end (last stable offset) of one partition of a topic. */
export interface PartitionEndRow {
  readonly topic: string;
  readonly partition: number;
  readonly low: number;
  readonly lastStable: number;
}

export interface LagSnapshot {
  /** When the refresh finished, in epoch ms. */
  readonly at: number;
  readonly partitions: readonly PartitionLagRow[];
  readonly ends: readonly PartitionEndRow[];
}

interface MonitorCommonOptions {
  /** The registry the gauges are registered on (never the global one). */
  readonly registry: Registry;
  /** Consumer groups to watch, or 'all' for every group of the cluster (listed on each refresh). */
  readonly groups: readonly string[] | 'all';
  /**
   * The Kafka namespace the service runs in (KAFKA_NAMESPACE). `groups`, `endOffsetTopics`
   * and backlog() then name groups and topics as the service does, and the monitor asks
   * the cluster about `<namespace>.<name>`; 'all' is every group of the namespace. Rows
   * and gauges carry the cluster's names, so a shadow fleet's never pass for the live one's.
   */
  readonly namespace?: string;
  /**
   * Topics whose ends are exported as kafka_topic_partition_end_offset even if no watched group
   * has committed on them (dead-letters, which no agent consumes). Topics the groups committed
   * on are exported anyway.
   */
  readonly endOffsetTopics?: readonly string[];
  /** A scrape within this long of the last refresh is served from it (default 1000 ms). */
  readonly minIntervalMs?: number;
  /** Longest a scrape waits for a refresh before it is served the previous values (default 5000 ms). */
  readonly scrapeWaitMs?: number;
  /** Epoch milliseconds; lag in seconds is measured against it. */
  readonly clock?: () => number;
  /** A refresh step that failed; its series keep their previous values. Must not throw. */
  readonly onError?: (error: LagError) => void;
}

export type ConsumerLagMonitorOptions = MonitorCommonOptions &
  (
    | {
        /** The cluster: an admin client and first-record readers are made from it. */
        readonly connection: KafkaConnection;
        /** Parallel first-record reads, one librdkafka consumer each (default 2). */
        readonly readers?: number;
      }
    | {
        /** Where offsets and records come from instead of a connection (tests). */
        readonly source: LagSource;
      }
  );

type LagLabel = 'consumer_group' | 'topic' | 'partition';
type EndLabel = 'topic' | 'partition';

/** Groups and topics asked about at once. */
const REQUEST_CONCURRENCY = 8;

type CachedRead = { readonly record: OldestRecord } | { readonly emptyUpTo: number };

/**
 * Consumer lag per consumer group, topic and partition, for a set of groups and every topic
 * they have committed offsets on, exported on the given registry:
 *  - kafka_consumer_lag_messages: last stable offset minus where the group resumes (0 when
 *    only transaction markers or aborted records are left);
 *  - kafka_consumer_lag_seconds: age of the oldest record the group has not consumed, 0 when
 *    drained;
 *  - kafka_topic_partition_end_offset: the last stable offset of each partition seen.
 * The values are refreshed when the registry is scraped: concurrent scrapes share one refresh,
 * and a scrape within minIntervalMs of the last refresh reuses it. The oldest record's
 * timestamp is read once per (topic, partition, committed offset): a stuck group costs one read.
 */
export class ConsumerLagMonitor {
  readonly #source: LagSource;
  readonly #groups: readonly string[] | 'all';
  readonly #namespace: string | undefined;
  readonly #endOffsetTopics: readonly string[];
  readonly #minIntervalMs: number;
  readonly #scrapeWaitMs: number;
  readonly #clock: () => number;
  readonly #onError: (error: LagError) => void;
  readonly #messages: Gauge<LagLabel>;
  readonly #seconds: Gauge<LagLabel>;
  readonly #ends: Gauge<EndLabel>;
  readonly #errors: Counter;
  readonly #reads = new Map<string, CachedRead>();
  readonly #readsRunning = new Map<string, Promise<OldestRecord | null | undefined>>();
  #snapshot: LagSnapshot | undefined;
  #refreshing: Promise<LagSnapshot | undefined> | undefined;
  #lastRefreshAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: ConsumerLagMonitorOptions) {
    this.#namespace = options.namespace;
    const groups = checkGroups(options.groups);
    this.#groups = groups === 'all' ? groups : groups.map((group) => this.#physical(group));
    this.#endOffsetTopics = (options.endOffsetTopics ?? []).map((topic) => this.#physical(topic));
    this.#minIntervalMs = nonNegative('minIntervalMs', options.minIntervalMs ?? 1000);
    this.#scrapeWaitMs = nonNegative('scrapeWaitMs', options.scrapeWaitMs ?? 5000);
    this.#clock = options.clock ?? Date.now;
    this.#onError = options.onError ?? (() => {});
    this.#source =
      'source' in options
        ? options.source
        : new KafkaLagSource(options.connection, {
            ...(options.readers !== undefined && { readers: options.readers }),
            ...(options.namespace !== undefined && { namespace: options.namespace }),
          });
    const collect = (): Promise<void> => this.#collect();
    const registers = [options.registry];
    this.#messages = new Gauge({
      name: 'kafka_consumer_lag_messages',
      help: 'Offsets a consumer group has yet to read: last stable offset minus its committed offset (0 when only transaction markers are left)',
      labelNames: ['consumer_group', 'topic', 'partition'],
      registers,
      collect,
    });
    this.#seconds = new Gauge({
      name: 'kafka_consumer_lag_seconds',
      help: 'Age of the oldest record a consumer group has not consumed yet; 0 when it has read everything',
      labelNames: ['consumer_group', 'topic', 'partition'],
      registers,
      collect,
    });
    this.#ends = new Gauge({
      name: 'kafka_topic_partition_end_offset',
      help: 'Last stable offset of a partition: where a read_committed consumer ends',
      labelNames: ['topic', 'partition'],
      registers,
      collect,
    });
    this.#errors = new Counter({
      name: 'kafka_consumer_lag_refresh_errors_total',
      help: 'Lag refresh steps that failed (listing groups, fetching offsets, reading a record); their series kept their previous values',
      registers,
    });
  }

  /** The values of the last refresh, if any. */
  get snapshot(): LagSnapshot | undefined {
    return this.#snapshot;
  }

  /**
   * Refreshes now (joining a refresh already running, ignoring minIntervalMs) and returns
   * the new values; undefined if the refresh failed as a whole (see onError).
   */
  refresh(): Promise<LagSnapshot | undefined> {
    if (this.#closed) return Promise.resolve(this.#snapshot);
    this.#refreshing ??= this.#refreshSafely().finally(() => {
      this.#refreshing = undefined;
      this.#lastRefreshAt = this.#clock();
    });
    return this.#refreshing;
  }

  /**
   * How many messages the group has yet to read on the topic (all partitions), from values
   * at most `maxAgeMs` old (refreshing when they are older): what backpressure reads.
   */
  async backlog(groupId: string, topic: string, maxAgeMs = 1000): Promise<number> {
    const [group, onCluster] = [this.#physical(groupId), this.#physical(topic)];
    const snapshot =
      this.#snapshot && this.#clock() - this.#snapshot.at < maxAgeMs
        ? this.#snapshot
        : await this.refresh();
    return (snapshot?.partitions ?? [])
      .filter((row) => row.group === group && row.topic === onCluster)
      .reduce((sum, row) => sum + row.messages, 0);
  }

  /** Stops refreshing and closes the admin client and readers; the gauges keep their last values. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#refreshing;
    await this.#source.close();
  }

  /** The gauges' collect callback: each scrape of the registry comes here (once per gauge). */
  async #collect(): Promise<void> {
    if (this.#closed) return;
    if (!this.#refreshing && this.#clock() - this.#lastRefreshAt < this.#minIntervalMs) return;
    const refreshing = this.refresh();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#scrapeWaitMs);
      timer.unref();
    });
    await Promise.race([refreshing, waited]);
    clearTimeout(timer);
  }

  async #refreshSafely(): Promise<LagSnapshot | undefined> {
    try {
      const snapshot = await this.#refreshNow();
      this.#publish(snapshot);
      this.#snapshot = snapshot;
      return snapshot;
    } catch (cause) {
      this.#report(
        new LagError('LAG_REFRESH_FAILED', `lag refresh failed: ${messageOf(cause)}`, { cause }),
      );
      return undefined;
    }
  }

  async #refreshNow(): Promise<LagSnapshot> {
    const previous = this.#snapshot;
    const groups = this.#groups === 'all' ? await this.#listGroups() : this.#groups;

    const committed = new Map<string, Map<string, Map<number, number>>>();
    const failedGroups = new Set<string>();
    await forEachLimit(groups, REQUEST_CONCURRENCY, async (group) => {
      try {
        committed.set(group, await this.#source.committedOffsets(group));
      } catch (cause) {
        failedGroups.add(group);
        this.#report(
          new LagError(
            'LAG_REFRESH_FAILED',
            `committed offsets of group ${group}: ${messageOf(cause)}`,
            {
              cause,
              details: { group },
            },
          ),
        );
      }
    });

    const topics = new Set(this.#endOffsetTopics);
    for (const byTopic of committed.values()) for (const topic of byTopic.keys()) topics.add(topic);
    const ends = new Map<string, Map<number, PartitionEnds>>();
    const failedTopics = new Set<string>();
    await forEachLimit([...topics], REQUEST_CONCURRENCY, async (topic) => {
      try {
        ends.set(topic, await this.#source.topicOffsets(topic));
      } catch (cause) {
        // A deleted topic's series go; any other failure keeps the previous values.
        if (!isUnknownTopic(cause)) failedTopics.add(topic);
        this.#report(
          new LagError('LAG_REFRESH_FAILED', `offsets of topic ${topic}: ${messageOf(cause)}`, {
            cause,
            details: { topic },
          }),
        );
      }
    });

    const previousRows = new Map(
      (previous?.partitions ?? []).map((row) => [rowKey(row.group, row.topic, row.partition), row]),
    );
    const usedReads = new Set<string>();
    const rows: Promise<PartitionLagRow>[] = [];
    for (const [group, byTopic] of committed) {
      for (const [topic, offsets] of byTopic) {
        const partitions = ends.get(topic);
        if (!partitions) continue;
        for (const [partition, { low, lastStable }] of partitions) {
          rows.push(
            this.#partitionRow(
              { group, topic, partition, committed: offsets.get(partition), low, lastStable },
              previousRows.get(rowKey(group, topic, partition)),
              usedReads,
            ),
          );
        }
      }
    }
    const partitions = await Promise.all(rows);
    // What could not be asked this time keeps its previous values (an alert's `for` survives a blip).
    for (const row of previous?.partitions ?? []) {
      if (failedGroups.has(row.group) || failedTopics.has(row.topic)) partitions.push(row);
    }
    for (const key of this.#reads.keys()) if (!usedReads.has(key)) this.#reads.delete(key);

    const endRows: PartitionEndRow[] = [];
    for (const [topic, byPartition] of ends) {
      for (const [partition, { low, lastStable }] of byPartition)
        endRows.push({ topic, partition, low, lastStable });
    }
    for (const row of previous?.ends ?? []) if (failedTopics.has(row.topic)) endRows.push(row);
    return { at: this.#clock(), partitions, ends: endRows };
  }

  async #partitionRow(
    at: {
      group: string;
      topic: string;
      partition: number;
      committed: number | undefined;
      low: number;
      lastStable: number;
    },
    previous: PartitionLagRow | undefined,
    usedReads: Set<string>,
  ): Promise<PartitionLagRow> {
    const { group, topic, partition, committed, low, lastStable } = at;
    const oldest = mayLag(committed, low, lastStable)
      ? await this.#oldest(topic, partition, resumePosition(committed, low), lastStable, usedReads)
      : null;
    const lag = partitionLag({ committed, low, lastStable, oldest, now: this.#clock() });
    return {
      group,
      topic,
      partition,
      committed,
      position: lag.position,
      lastStable,
      messages: lag.messages,
      // A failed read keeps the age last seen rather than dropping the series.
      seconds: lag.seconds ?? (oldest === undefined ? previous?.seconds : undefined),
    };
  }

  /**
   * The first committed record at or after `position`: from the cache when this position was
   * read before (a record found stays the answer; a range found empty is only read past its
   * end), else read once however many groups wait at the same position. Undefined on failure.
   */
  async #oldest(
    topic: string,
    partition: number,
    position: number,
    lastStable: number,
    usedReads: Set<string>,
  ): Promise<OldestRecord | null | undefined> {
    const key = rowKey('', topic, partition, position);
    usedReads.add(key);
    const running = this.#readsRunning.get(key);
    if (running) return running;
    const cached = this.#reads.get(key);
    if (cached && 'record' in cached) return cached.record;
    if (cached && cached.emptyUpTo >= lastStable) return null;
    const from = cached ? cached.emptyUpTo : position;
    const read = this.#source.firstRecord(topic, partition, from).then(
      (record) => {
        // Below the last stable offset everything is decided: what was read there stays true.
        this.#reads.set(key, record ? { record } : { emptyUpTo: lastStable });
        return record;
      },
      (cause: unknown) => {
        this.#report(
          new LagError(
            'LAG_READ_FAILED',
            `oldest record of ${topic}/${partition}: ${messageOf(cause)}`,
            {
              cause,
              details: { topic, partition, from },
            },
          ),
        );
        return undefined;
      },
    );
    this.#readsRunning.set(key, read);
    try {
      return await read;
    } finally {
      this.#readsRunning.delete(key);
    }
  }

  /** Every group of the cluster, or of the namespace. */
  async #listGroups(): Promise<string[]> {
    const groups = await this.#source.listGroups();
    if (this.#namespace === undefined) return groups;
    const prefix = `${this.#namespace}.`;
    return groups.filter((group) => group.startsWith(prefix));
  }

  /** A group's or topic's name on the cluster. */
  #physical(name: string): string {
    return namespaced(this.#namespace, name);
  }

  /** Replaces every series at once: partitions and groups that went away lose theirs. */
  #publish(snapshot: LagSnapshot): void {
    this.#messages.reset();
    this.#seconds.reset();
    this.#ends.reset();
    for (const row of snapshot.partitions) {
      const labels = {
        consumer_group: row.group,
        topic: row.topic,
        partition: String(row.partition),
      };
      this.#messages.set(labels, row.messages);
      if (row.seconds !== undefined) this.#seconds.set(labels, row.seconds);
    }
    for (const row of snapshot.ends) {
      this.#ends.set({ topic: row.topic, partition: String(row.partition) }, row.lastStable);
    }
  }

  #report(error: LagError): void {
    this.#errors.inc();
    try {
      this.#onError(error);
    } catch {
      // onError must not throw; a scrape is no place to find out.
    }
  }
}

function rowKey(group: string, topic: string, partition: number, offset?: number): string {
  return offset === undefined
    ? `${group}\u0000${topic}\u0000${partition}`
    : `${group}\u0000${topic}\u0000${partition}\u0000${offset}`;
}

async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

function checkGroups(groups: readonly string[] | 'all'): readonly string[] | 'all' {
  if (groups === 'all') return groups;
  const list: readonly unknown[] = Array.isArray(groups) ? groups : [undefined];
  if (list.some((group) => typeof group !== 'string' || !group)) {
    throw new LagError('LAG_CONFIG_INVALID', "groups must be 'all' or a list of group ids");
  }
  return [...new Set(list as readonly string[])];
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new LagError('LAG_CONFIG_INVALID', `${name} must be a number >= 0 (got ${value})`);
  }
  return value;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
