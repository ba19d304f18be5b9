import type { ArchivedRecord } from '@paxfleet/archive';

/**
 * One partition's records on their way to the archive. The archive is the truth about
 * progress: `archivedEnd` is the last offset its objects hold, and nothing at or before
 * it is taken again, whatever the consumer group's committed offset says.
 */
export class PartitionBuffer {
  readonly topic: string;
  readonly partition: number;
  /** Whether reading has been set to resume after the archive's end (done once per owner). */
  resumed = false;
  #archivedEnd: number;
  #records: ArchivedRecord[] = [];
  #startedAt: number | undefined;

  constructor(topic: string, partition: number, archivedEnd: number) {
    this.topic = topic;
    this.partition = partition;
    this.#archivedEnd = archivedEnd;
  }

  /** The last offset the archive holds for this partition, -1 when it holds none. */
  get archivedEnd(): number {
    return this.#archivedEnd;
  }

  /** The offset the next record should have: after the archive and what is buffered. */
  get nextOffset(): number {
    return (this.#records.at(-1)?.offset ?? this.#archivedEnd) + 1;
  }

  get size(): number {
    return this.#records.length;
  }

  /** Takes the record unless the archive or the buffer already has it; whether it took it. */
  add(record: ArchivedRecord, now: number): boolean {
    if (record.offset < this.nextOffset) return false;
    this.#records.push(record);
    this.#startedAt ??= now;
    return true;
  }

  /** Whether the buffered records should become an object now. */
  due(now: number, maxRecords: number, maxAgeMs: number): boolean {
    return (
      this.#startedAt !== undefined &&
      (this.#records.length >= maxRecords || now - this.#startedAt >= maxAgeMs)
    );
  }

  /** The buffered records, for one object; the buffer keeps them until `archived`. */
  pending(): readonly ArchivedRecord[] {
    return this.#records;
  }

  /** The object holding the first `count` buffered records is in the archive. */
  archived(count: number): void {
    const last = this.#records[count - 1];
    if (!last) return;
    this.#archivedEnd = last.offset;
    this.#records = this.#records.slice(count);
    this.#startedAt = this.#records.length > 0 ? Date.now() : undefined;
  }
}
