/**
 * The arithmetic of consumer lag, free of any client: where a group resumes on a
 * partition, how many offsets it has yet to read and how old the oldest of them is.
 */

/** The first committed record at or after a position, as a read_committed reader sees it. */
export interface OldestRecord {
  readonly offset: number;
  /** Milliseconds since the epoch; -1 if the record has none. */
  readonly timestamp: number;
}

export interface PartitionLagInput {
  /** The group's committed offset (the next offset it will read); undefined or negative: none. */
  readonly committed: number | undefined;
  /** The partition's low watermark: the first offset still in the log. */
  readonly low: number;
  /** The last stable offset: the end of the partition for a read_committed consumer. */
  readonly lastStable: number;
  /**
   * The first committed record at or after `position` and before `lastStable`: a record,
   * null when a read found none (only transaction markers or aborted records are left),
   * undefined when it is not known (not read, or the read failed).
   */
  readonly oldest: OldestRecord | null | undefined;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

export interface PartitionLag {
  /** The offset the group resumes at. */
  readonly position: number;
  readonly messages: number;
  /** Undefined when the age is not known (the oldest record was not read, or has no timestamp). */
  readonly seconds: number | undefined;
}

/**
 * Where a group resumes on a partition: its committed offset, or the low watermark
 * when it has none there (or retention deleted what it had not read yet).
 */
export function resumePosition(committed: number | undefined, low: number): number {
  if (committed === undefined || !Number.isFinite(committed) || committed < 0) return low;
  return Math.max(committed, low);
}

/** Whether reading from this position can find an unconsumed record at all. */
export function mayLag(committed: number | undefined, low: number, lastStable: number): boolean {
  return resumePosition(committed, low) < lastStable;
}

/**
 * Lag in messages is the last stable offset minus where the group resumes, never negative.
 * Transaction markers take offsets too: a group that consumed every record of a transactional
 * partition has committed the offset of the last commit marker, one below the last stable
 * offset. So when the oldest-record read shows that no committed record lies between the
 * position and the last stable offset, the group is drained: 0 messages, 0 seconds. When the
 * read found a record, the count starts at that record (markers and aborted records before it
 * are not lag). Markers among the pending records are counted; they are offsets.
 * Lag in seconds is the age of that oldest unconsumed record, 0 when drained.
 */
export function partitionLag(input: PartitionLagInput): PartitionLag {
  const position = resumePosition(input.committed, input.low);
  const drained = { position, messages: 0, seconds: 0 };
  if (position >= input.lastStable) return drained;
  const { oldest } = input;
  if (oldest === undefined) {
    return { position, messages: input.lastStable - position, seconds: undefined };
  }
  // A record at or past the last stable offset was committed after the offsets were fetched.
  if (oldest === null || oldest.offset >= input.lastStable) return drained;
  const messages = input.lastStable - Math.max(oldest.offset, position);
  return { position, messages, seconds: ageSeconds(oldest.timestamp, input.now) };
}

/** Seconds from a record's timestamp to now, never negative (clocks disagree); undefined without one. */
export function ageSeconds(timestamp: number, now: number): number | undefined {
  if (!Number.isFinite(timestamp) || timestamp < 0) return undefined;
  return Math.max(0, now - timestamp) / 1000;
}
