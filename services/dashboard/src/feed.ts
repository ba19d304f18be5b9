import type { KafkaConnection, PartitionRecord, PartitionStart } from '@paxfleet/kafka';
import {
  TopicReader,
  type EventRegistry,
  type TopicName,
  type TopicRecord,
} from '@paxfleet/events';
import { hexPreview, type FleetState, type SeenRecord } from './fleet-state.ts';

export interface TopicFeedOptions {
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly state: FleetState;
  /** The topics to read, as the catalog names them. */
  readonly topics: readonly TopicName[];
  /** How far back to start (epoch ms is now minus this); compacted topics are read whole. */
  readonly historyMs: number;
  readonly onError: (error: Error) => void;
  readonly clock?: () => number;
}

function headersOf(record: PartitionRecord): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record.headers).map(([name, value]) => [name, value.toString('utf8')]),
  );
}

function seen(record: PartitionRecord, value: unknown, bytes: number): SeenRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key?.toString('utf8') ?? null,
    headers: headersOf(record),
    bytes,
    value,
  };
}

/**
 * Reads the topics outside any consumer group (a TopicReader: nothing committed, nothing
 * decided) into the state: every partition from the first record of the history window
 * (the broker's time index; a compacted topic from its start) to its end, then on, live.
 * A record that does not decode is kept as such (the topic browser shows it), never dropped.
 */
export class TopicFeed {
  readonly #options: TopicFeedOptions;
  readonly #reader: TopicReader;
  /** Per topic/partition, the offset after the last record read. */
  readonly #next = new Map<string, number>();
  #caughtUp = false;
  #following = false;

  constructor(options: TopicFeedOptions) {
    this.#options = options;
    this.#reader = new TopicReader(options.connection, options.registry, {
      clientId: 'paxfleet-dashboard',
      onError: (error) => options.onError(error),
      onUndecodable: (record, error) => {
        this.#next.set(`${record.topic}/${record.partition}`, record.offset + 1);
        options.state.observe({
          ...seen(record, undefined, record.value?.length ?? 0),
          undecodable: { reason: error.message, hex: hexPreview(record.value) },
        });
      },
    });
  }

  /** Reading live (the history may still be coming). */
  get following(): boolean {
    return this.#following;
  }

  /** The history window has been read to the end it had when the dashboard started. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Resolves once reading has begun; the history then streams in, and live records after it. */
  async start(): Promise<void> {
    const { registry, topics, historyMs, state } = this.#options;
    await this.#reader.connect();
    const since = (this.#options.clock ?? Date.now)() - historyMs;
    const starts: PartitionStart[] = [];
    for (const topic of topics) {
      // A compacted topic is state: all of it, whenever it was written.
      const compacted = registry.catalog.topic(topic).cleanupPolicy.includes('compact');
      starts.push(
        ...(await this.#reader.everyPartition(
          topic,
          compacted ? 'beginning' : { atOrAfter: since },
        )),
      );
    }
    const next = this.#next;
    // The raw record comes to `only` just before it is decoded and delivered: its size.
    let bytes = 0;
    const measure = (raw: PartitionRecord) => {
      bytes = raw.value?.length ?? 0;
      return true;
    };
    const onRecord = (record: TopicRecord<TopicName>) => {
      next.set(`${record.topic}/${record.partition}`, record.offset + 1);
      state.observe(seen(record as unknown as PartitionRecord, record.value, bytes));
    };
    const history = this.#reader.readToEnd(starts, onRecord, measure).then(async () => {
      this.#caughtUp = true;
      const from = starts.map((start) => ({
        ...start,
        from: next.get(`${start.topic}/${start.partition}`) ?? start.from,
      }));
      await this.#reader.follow(from, onRecord, measure);
    });
    history.catch((error: unknown) => this.#options.onError(error as Error));
    this.#following = true;
  }

  stop(): Promise<void> {
    this.#following = false;
    return this.#reader.close();
  }
}
