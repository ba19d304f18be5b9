import { EventsError } from '../errors.ts';

/**
 * The offset-commit metadata of a partition: which offsets after the committed one
 * are already done. `pxf1:` then base64url of a bitset, bit i for offset committed + 1 + i
 * (the committed offset itself is by definition not done). Kafka keeps up to 4096 bytes
 * of metadata by default (offset.metadata.max.bytes); 16384 offsets take 2731 characters.
 */
const PREFIX = 'pxf1:';

export function encodeDoneBeyond(committed: number, done: Iterable<number>): string {
  const beyond = [...done].filter((offset) => offset > committed);
  if (beyond.length === 0) return '';
  const bits = Buffer.alloc(Math.ceil((Math.max(...beyond) - committed) / 8));
  for (const offset of beyond) {
    const index = offset - committed - 1;
    bits[index >> 3] = (bits[index >> 3] ?? 0) | (1 << (index & 7));
  }
  return PREFIX + bits.toString('base64url');
}

/** The offsets after `committed` that the metadata names as done; empty for metadata we did not write. */
export function decodeDoneBeyond(
  committed: number,
  metadata: string | null | undefined,
): Set<number> {
  const done = new Set<number>();
  if (!metadata?.startsWith(PREFIX)) return done;
  const bits = Buffer.from(metadata.slice(PREFIX.length), 'base64url');
  for (let index = 0; index < bits.length * 8; index += 1) {
    if ((bits[index >> 3] ?? 0) & (1 << (index & 7))) done.add(committed + 1 + index);
  }
  return done;
}

/** What to commit for a partition: the first offset not done, and the done ones beyond it. */
export interface PartitionPosition {
  readonly offset: number;
  readonly metadata: string;
}

/**
 * One partition's offsets as a processor with many events in flight sees them: each
 * offset is delivered once, in log order, then done (its outputs committed) or staged
 * (in the transaction being written). The position to commit is the first delivered
 * offset that is neither, with every done offset beyond it in the metadata; after a
 * restart those are skipped, so no event whose outputs were committed runs again.
 */
export class PartitionProgress {
  /** The committed offset this instance started from. */
  readonly start: number;
  /** Delivered offsets, ascending, from the first one not yet below the committed position. */
  readonly #delivered: number[] = [];
  readonly #done: Set<number>;
  readonly #restored: Set<number>;
  readonly #staged = new Set<number>();
  #last: number;

  /** `committed` and its metadata as the broker has them for this group. */
  constructor(committed: number, metadata?: string | null) {
    this.start = committed;
    this.#last = committed - 1;
    this.#done = decodeDoneBeyond(committed, metadata);
    this.#restored = new Set(this.#done);
  }

  /**
   * Takes the next offset the consumer hands out. Returns false for an offset already
   * delivered or below the start (a re-fetch after a seek): it must not run twice.
   */
  deliver(offset: number): boolean {
    if (offset <= this.#last || offset < this.start) return false;
    this.#last = offset;
    this.#delivered.push(offset);
    return true;
  }

  /** The offset after the last one delivered: where taking goes on. */
  get next(): number {
    return this.#last + 1;
  }

  /** Whether the metadata this instance started from says the offset is done already. */
  alreadyDone(offset: number): boolean {
    return this.#restored.has(offset);
  }

  stage(offset: number): void {
    if (!this.#delivered.includes(offset) || this.#done.has(offset)) {
      throw new EventsError(
        'PROCESSOR_FAILED',
        `offset ${offset} is not an open delivered offset of this partition`,
      );
    }
    this.#staged.add(offset);
  }

  /** The staged offsets' transaction committed: they are done. */
  commitStaged(): void {
    for (const offset of this.#staged) this.#done.add(offset);
    this.#staged.clear();
    this.#trim();
  }

  /** The staged offsets' transaction did not commit: they are open again. */
  unstage(): void {
    this.#staged.clear();
  }

  /** Offsets delivered and not yet done or staged. */
  get open(): number {
    return this.#delivered.filter((offset) => !this.#done.has(offset) && !this.#staged.has(offset))
      .length;
  }

  /** How far the last delivered offset is ahead of the committed position (bounds the metadata). */
  get ahead(): number {
    return this.#last - this.position(false).offset;
  }

  /** The position to commit, counting staged offsets as done when `withStaged`. */
  position(withStaged = true): PartitionPosition {
    const isDone = (offset: number) =>
      this.#done.has(offset) || (withStaged && this.#staged.has(offset));
    const firstOpen = this.#delivered.find((offset) => !isDone(offset));
    const offset = firstOpen ?? Math.max(this.#last + 1, this.start);
    const beyond = [...this.#done, ...(withStaged ? this.#staged : [])].filter(
      (done) => done > offset,
    );
    return { offset, metadata: encodeDoneBeyond(offset, beyond) };
  }

  #trim(): void {
    while (this.#delivered.length > 0 && this.#done.has(this.#delivered[0] as number)) {
      this.#done.delete(this.#delivered.shift() as number);
    }
  }
}
