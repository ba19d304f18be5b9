/** Where an event sits in the log. */
export interface LogPosition {
  /** Broker timestamp, epoch milliseconds. */
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

export type Tracked<V> = LogPosition & { readonly value: V };

/**
 * Whether a was written after b. In one partition the log order is the truth (producer
 * clocks may disagree); across partitions only the timestamps can tell.
 */
export function isNewer(a: LogPosition, b: LogPosition): boolean {
  return a.partition === b.partition ? a.offset > b.offset : a.timestamp > b.timestamp;
}

/**
 * The newest event seen per key (research topic, work key), whatever order the events
 * are seen in: a reader ahead of the consumer and the consumer itself may both report.
 */
export class LatestEventTracker<V> {
  readonly #latest = new Map<string, Tracked<V>>();

  /** Remembers the event if it is the newest for its key; returns whether it is. */
  observe(key: string, position: LogPosition, value: V): boolean {
    const known = this.#latest.get(key);
    if (known && !isNewer(position, known)) return samePosition(position, known);
    this.#latest.set(key, {
      timestamp: position.timestamp,
      partition: position.partition,
      offset: position.offset,
      value,
    });
    return true;
  }

  /** True unless a newer event for the key has been seen. */
  isLatest(key: string, position: LogPosition): boolean {
    const known = this.#latest.get(key);
    return known === undefined || !isNewer(known, position);
  }

  latest(key: string): Tracked<V> | undefined {
    return this.#latest.get(key);
  }

  get size(): number {
    return this.#latest.size;
  }
}

function samePosition(a: LogPosition, b: LogPosition): boolean {
  return a.partition === b.partition && a.offset === b.offset;
}
