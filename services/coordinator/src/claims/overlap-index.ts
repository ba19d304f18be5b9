import type { ClaimOverlap, ClaimRecord, ClaimRequest } from '@paxfleet/events';
import type { Similarity } from '@paxfleet/overlap';
import type { OverlapCheck } from './ledger.ts';

/** Format pairs whose overlap is complementary work (a blog post beside a prospect deck). */
export class ComplementaryFormats {
  readonly #pairs: ReadonlySet<string>;

  /** `pairs` as configured: `blog_post:prospect_deck`, `*` for any format; order does not matter. */
  constructor(pairs: readonly string[]) {
    this.#pairs = new Set(pairs.flatMap((pair) => [pair, pair.split(':').reverse().join(':')]));
  }

  complement(a: string, b: string): boolean {
    return [`${a}:${b}`, `${a}:*`, `*:${b}`, '*:*'].some((pair) => this.#pairs.has(pair));
  }
}

export interface OverlapIndexOptions {
  readonly similarity: Similarity;
  /** A score at or above it is the same work. */
  readonly threshold: number;
  readonly complementary: ComplementaryFormats;
}

const RELEASED_KEPT_MS = 60 * 60 * 1000;

interface Work {
  readonly record: ClaimRecord;
  readonly terms: readonly string[] | undefined;
}

/**
 * The work held or completed on every claim-requests partition, by subject: what
 * a claim for a new key is compared with. It is the latest claim record per key,
 * rebuilt from content-claims like the ledgers and kept current with every
 * decision, this instance's at once and other instances' as they are read.
 * Finding is deterministic: the highest score wins, ties go to the smaller key.
 */
export class OverlapIndex implements OverlapCheck {
  readonly #options: OverlapIndexOptions;
  readonly #work = new Map<string, Work>();
  /** Keys by term, for methods that have terms; the others compare with all work. */
  readonly #byTerm = new Map<string, Set<string>>();

  constructor(options: OverlapIndexOptions) {
    this.#options = options;
  }

  /** Keys whose latest record is known, indexed or released. */
  get size(): number {
    return this.#work.size;
  }

  get method(): Similarity['method'] {
    return this.#options.similarity.method;
  }

  /**
   * A decision, this instance's or read back from content-claims. Only a newer record
   * replaces a key's: the same decision is read back after it was applied, and a key
   * released here must not come back with the grant read after.
   */
  apply(record: ClaimRecord): void {
    const known = this.#work.get(record.work_key);
    if (known && known.record.decided_at > record.decided_at) return;
    if (known) this.#remove(known);
    const indexed = record.subject !== '' && record.state !== 'free';
    const terms = indexed ? this.#options.similarity.terms(record.subject) : [];
    this.#work.set(record.work_key, { record, terms });
    for (const term of terms ?? []) {
      const keys = this.#byTerm.get(term) ?? new Set<string>();
      keys.add(record.work_key);
      this.#byTerm.set(term, keys);
    }
  }

  /** Subjects of the indexed work and the request that the method has yet to prepare. */
  unprepared(request: ClaimRequest): string[] {
    const { similarity } = this.#options;
    const subjects = new Set<string>();
    if (!similarity.prepared(request.subject)) subjects.add(request.subject);
    for (const { record } of this.#candidates(request.subject)) {
      if (record.state !== 'free' && record.subject !== '' && !similarity.prepared(record.subject))
        subjects.add(record.subject);
    }
    return [...subjects];
  }

  find(request: ClaimRequest, now: number): ClaimOverlap | undefined {
    const { similarity, threshold, complementary } = this.#options;
    let denying: ClaimOverlap | undefined;
    let granting: ClaimOverlap | undefined;
    for (const { record } of this.#candidates(request.subject)) {
      if (record.work_key === request.work_key || record.state === 'free') continue;
      if (record.subject === '' || record.lease_expires_at <= now) continue;
      const score = similarity.score(request.subject, record.subject);
      if (score < threshold) continue;
      const overlap: ClaimOverlap = {
        work_key: record.work_key,
        subject: record.subject,
        holder: record.holder,
        state: record.state,
        format: record.format,
        score,
        threshold,
        method: similarity.method,
        action: complementary.complement(request.format, record.format) ? 'grant' : 'deny',
      };
      if (overlap.action === 'deny') denying = stronger(denying, overlap);
      else granting = stronger(granting, overlap);
    }
    return denying ?? granting;
  }

  /**
   * Forgets work whose lease or completion window ended by `now`, and released keys after
   * an hour (long after any grant decided before the release was read back).
   */
  prune(now: number): void {
    for (const work of this.#work.values()) {
      const { state, lease_expires_at, decided_at } = work.record;
      const ended = state === 'free' ? decided_at + RELEASED_KEPT_MS : lease_expires_at;
      if (ended <= now) this.#remove(work);
    }
  }

  *#candidates(subject: string): Iterable<Work> {
    const terms = this.#options.similarity.terms(subject);
    if (terms === undefined) {
      yield* this.#work.values();
      return;
    }
    const seen = new Set<string>();
    for (const term of terms) {
      for (const key of this.#byTerm.get(term) ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        const work = this.#work.get(key);
        if (work) yield work;
      }
    }
  }

  #remove(work: Work): void {
    this.#work.delete(work.record.work_key);
    for (const term of work.terms ?? []) {
      const keys = this.#byTerm.get(term);
      keys?.delete(work.record.work_key);
      if (keys?.size === 0) this.#byTerm.delete(term);
    }
  }
}

function stronger(best: ClaimOverlap | undefined, next: ClaimOverlap): ClaimOverlap {
  if (!best || next.score > best.score) return next;
  if (next.score === best.score && next.work_key < best.work_key) return next;
  return best;
}
