import { setTimeout as delay } from 'node:timers/promises';
import { TopicReader, type EventRegistry, type TopicRecord } from '@paxfleet/events';
import type { KafkaConnection, PartitionStart } from '@paxfleet/kafka';
import type { ServiceLogger } from '@paxfleet/service';
import type { AuditedEvent, Lookahead, OracleTopic } from './oracle-agent.ts';

export interface LogHeadWatchOptions {
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  /** Every decodable event on the watched topics, in log order per partition. */
  readonly onEvent: (event: AuditedEvent) => void;
  readonly logger: ServiceLogger;
  /** The topics' names on the cluster; the catalog's own unless a test uses copies. */
  readonly topics?: { readonly [T in OracleTopic]: string };
  readonly clientId?: string;
  /** Pause before another try when the first read fails (broker down, topic missing). */
  readonly retryDelayMs?: number;
}

const WATCHED: readonly OracleTopic[] = ['research-events', 'content-results'];

/**
 * Reads research-events and content-results from the beginning to the head of the log and
 * then follows the head, outside any consumer group. The oracle's own consumer may be hours
 * behind (a rate-limited API holds it up); this reader is not, so when the consumer reaches
 * an old event the oracle already knows whether a newer one for the same topic exists further
 * down the log. Records seen twice (where the first read and the follow overlap) are harmless:
 * the newest-event tracker is idempotent.
 */
export class LogHeadWatch implements Lookahead {
  readonly #options: LogHeadWatchOptions;
  readonly #topics: { readonly [T in OracleTopic]: string };
  readonly #caughtUp: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: Error) => void;
  #isCaughtUp = false;
  #closed = false;
  #reader: TopicReader | undefined;
  #running: Promise<void> | undefined;

  constructor(options: LogHeadWatchOptions) {
    this.#options = options;
    this.#topics = options.topics ?? {
      'research-events': 'research-events',
      'content-results': 'content-results',
    };
    this.#caughtUp = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nobody may be waiting when close() rejects it.
    this.#caughtUp.catch(() => {});
  }

  /** Starts reading in the background; failures are logged and retried until close(). */
  start(): void {
    this.#running ??= this.#run();
  }

  /** Resolves once everything on the topics at start has been read. */
  caughtUp(): Promise<void> {
    return this.#caughtUp;
  }

  get isCaughtUp(): boolean {
    return this.#isCaughtUp;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (!this.#isCaughtUp)
      this.#reject(new Error('the log head watch was closed before it caught up'));
    await this.#reader?.close();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { logger } = this.#options;
    for (let attempt = 1; !this.#closed; attempt++) {
      // The oracle's consumer dead-letters undecodable records; here they only cannot be newer.
      const reader = new TopicReader(this.#options.connection, this.#options.registry, {
        clientId: this.#options.clientId ?? 'oracle-log-head-watch',
        onError: (error) =>
          logger.warn('log head watch: read error', { error: error.message, code: error.code }),
      });
      this.#reader = reader;
      try {
        await reader.connect();
        const fromStart: PartitionStart[] = [];
        const fromHead: PartitionStart[] = [];
        for (const logical of WATCHED) {
          const topic = this.#topics[logical];
          for (const [partition, { high }] of await reader.watermarks(topic as OracleTopic)) {
            fromStart.push({ topic, partition, from: 'beginning' });
            fromHead.push({ topic, partition, from: high });
          }
        }
        let read = 0;
        await reader.readToEnd<OracleTopic>(fromStart, (record) => {
          read += 1;
          this.#deliver(record);
        });
        // Following from the head as it was before the first read: nothing in between is missed.
        await reader.follow<OracleTopic>(fromHead, (record) => this.#deliver(record));
        this.#isCaughtUp = true;
        this.#resolve();
        logger.info('log head watch caught up; following the head', {
          records: read,
          partitions: fromStart.length,
        });
        return;
      } catch (error) {
        if (this.#closed) return;
        logger.warn('log head watch could not read to the head; retrying', {
          attempt,
          error: (error as Error).message,
        });
        await reader.close().catch(() => {});
        await delay(this.#options.retryDelayMs ?? 2000);
      }
    }
  }

  #deliver(record: TopicRecord<OracleTopic>): void {
    const logical = WATCHED.find((topic) => this.#topics[topic] === record.topic);
    if (logical === undefined) return;
    const position = {
      partition: record.partition,
      offset: record.offset,
      timestamp: record.timestamp,
    };
    // Decoded by the codec of the record's topic on the cluster: the logical topic's schema.
    this.#options.onEvent({ topic: logical, ...position, value: record.value } as AuditedEvent);
  }
}
