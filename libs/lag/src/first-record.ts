import { PartitionReader, type KafkaConnection, type KafkaError } from '@paxfleet/kafka';
import { LagError } from './errors.ts';
import type { OldestRecord } from './lag.ts';

export interface FirstRecordReaderOptions {
  /** Reads that may run at once, one PartitionReader (one librdkafka consumer) each; default 2. */
  readonly concurrency?: number;
  readonly clientId?: string;
  /** The Kafka namespace the readers' (never joined) group ids are named in. */
  readonly namespace?: string;
  /** Client errors no read carries (connection trouble); must not throw. */
  readonly onError?: (error: KafkaError) => void;
}

/** Thrown from onRecord to end a read at its first record; never leaves this module. */
class FirstRecordFound extends Error {
  readonly record: OldestRecord;

  constructor(record: OldestRecord) {
    super('first record found');
    this.record = record;
  }
}

/**
 * Finds the first committed record at or after an offset, as a read_committed consumer
 * would see it (aborted records and transaction markers skipped), with a small pool of
 * PartitionReaders. A read runs PartitionReader.readToEnd from the offset and stops at the
 * first record delivered; with none, it ends at the partition's last stable offset.
 */
export class FirstRecordReader {
  readonly #connection: KafkaConnection;
  readonly #options: FirstRecordReaderOptions;
  readonly #concurrency: number;
  readonly #idle: PartitionReader[] = [];
  readonly #waiting: ((reader: PartitionReader | undefined) => void)[] = [];
  readonly #all = new Set<PartitionReader>();
  #closed = false;

  constructor(connection: KafkaConnection, options: FirstRecordReaderOptions = {}) {
    const concurrency = options.concurrency ?? 2;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new LagError(
        'LAG_CONFIG_INVALID',
        `concurrency must be a positive integer (got ${concurrency})`,
      );
    }
    this.#connection = connection;
    this.#options = options;
    this.#concurrency = concurrency;
  }

  /**
   * The first committed record of topic/partition at or after `from`, or null if there is none
   * before the partition's current end. `from` must lie within the partition's watermarks.
   * Rejects with LAG_READ_FAILED.
   */
  async first(topic: string, partition: number, from: number): Promise<OldestRecord | null> {
    const reader = await this.#acquire();
    let healthy = true;
    try {
      await reader.readToEnd([{ topic, partition, from }], (record) => {
        throw new FirstRecordFound({ offset: record.offset, timestamp: record.timestamp });
      });
      return null;
    } catch (error) {
      if (error instanceof FirstRecordFound) return error.record;
      healthy = false;
      throw new LagError(
        'LAG_READ_FAILED',
        `could not read the first record of ${topic}/${partition} from offset ${from}: ${(error as Error).message}`,
        { cause: error, details: { topic, partition, from } },
      );
    } finally {
      this.#release(reader, healthy);
    }
  }

  /** Closes every reader; reads still running reject. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#waiting.splice(0)) wake(undefined);
    const readers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(readers.map((reader) => reader.close()));
  }

  async #acquire(): Promise<PartitionReader> {
    if (this.#closed) throw closed();
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#all.size < this.#concurrency) {
      const reader = new PartitionReader(this.#connection, {
        isolation: 'read_committed',
        ...(this.#options.clientId !== undefined && { clientId: this.#options.clientId }),
        ...(this.#options.namespace !== undefined && { namespace: this.#options.namespace }),
        ...(this.#options.onError && { onError: this.#options.onError }),
      });
      this.#all.add(reader);
      try {
        await reader.connect();
      } catch (error) {
        this.#all.delete(reader);
        await reader.close();
        this.#wakeOne();
        throw new LagError(
          'LAG_READ_FAILED',
          `could not connect a reader: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      return reader;
    }
    const reader = await new Promise<PartitionReader | undefined>((resolve) =>
      this.#waiting.push(resolve),
    );
    if (!reader) return this.#acquire();
    return reader;
  }

  /** A reader whose read failed is replaced: its consumer may be in any state. */
  #release(reader: PartitionReader, healthy: boolean): void {
    if (this.#closed || !this.#all.has(reader)) return;
    if (!healthy) {
      this.#all.delete(reader);
      reader.close().catch(() => undefined);
      this.#wakeOne();
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(reader);
    else this.#idle.push(reader);
  }

  /** A slot freed up without a reader to hand over: a waiter makes its own. */
  #wakeOne(): void {
    this.#waiting.shift()?.(undefined);
  }
}

function closed(): LagError {
  return new LagError('LAG_READ_FAILED', 'the first-record reader is closed');
}
