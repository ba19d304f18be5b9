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
  record: ClaimRecord;
  readonly terms: readonly string[] | undefined;
  /** What the method compares, made once the first time the work is compared. */
  fingerprint?: unknown;
  /** The last lookup that counted it: one candidate once however many terms it shares. */
  seen: number;
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
  readonly #byTerm = new Map<string, Set<Work>>();
  #lookups = 0;

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
    const indexed = isIndexed(record);
    // A renewal, a completion, a decision read back: the same terms, only the record changes.
    if (known && known.record.subject === record.subject && isIndexed(known.record) === indexed) {
      known.record = record;
      return;
    }
    if (known) this.#remove(known);
    const terms = indexed ? this.#options.similarity.terms(record.subject) : [];
    const work: Work = { record, terms, seen: 0 };
    this.#work.set(record.work_key, work);
    for (const term of terms ?? []) {
      const holders = this.#byTerm.get(term) ?? new Set<Work>();
      holders.add(work);
      this.#byTerm.set(term, holders);
    }
  }

  /** Subjects of the indexed work and the request that the method has yet to prepare. */
  unprepared(request: ClaimRequest): string[] {
    const { similarity } = this.#options;
    const subjects = new Set<string>();
    if (!similarity.prepared(request.subject)) subjects.add(request.subject);
    for (const work of this.#candidates(request.subject)) {
      const { state, subject } = work.record;
      if (state === 'free' || subject === '' || work.fingerprint !== undefined) continue;
      if (!similarity.prepared(subject)) subjects.add(subject);
    }
    return [...subjects];
  }

  find(request: ClaimRequest, now: number): ClaimOverlap | undefined {
    const { similarity, threshold, complementary } = this.#options;
    const claimed = similarity.fingerprint(request.subject);
    let denying: { work: Work; score: number } | undefined;
    let granting: { work: Work; score: number } | undefined;
    for (const work of this.#candidates(request.subject)) {
      const { record } = work;
      if (record.work_key === request.work_key || record.state === 'free') continue;
      if (record.subject === '' || record.lease_expires_at <= now) continue;
      work.fingerprint ??= similarity.fingerprint(record.subject);
      const score = similarity.compare(claimed, work.fingerprint, threshold);
      if (score < threshold) continue;
      if (complementary.complement(request.format, record.format)) {
        if (stronger(granting, work, score)) granting = { work, score };
      } else if (stronger(denying, work, score)) denying = { work, score };
    }
    const found = denying ?? granting;
    if (!found) return undefined;
    const { record } = found.work;
    return {
      work_key: record.work_key,
      subject: record.subject,
      holder: record.holder,
      state: record.state,
      format: record.format,
      score: found.score,
      threshold,
      method: similarity.method,
      action: found === denying ? 'deny' : 'grant',
    };
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

  /** The work sharing a term with the subject, each once; all the work for a method without terms. */
  #candidates(subject: string): Iterable<Work> {
    const terms = this.#options.similarity.terms(subject);
    if (terms === undefined) return this.#work.values();
    const lookup = (this.#lookups += 1);
    const found: Work[] = [];
    for (const term of terms) {
      for (const work of this.#byTerm.get(term) ?? []) {
        if (work.seen === lookup) continue;
        work.seen = lookup;
        found.push(work);
      }
    }
    return found;
  }

  #remove(work: Work): void {
    this.#work.delete(work.record.work_key);
    for (const term of work.terms ?? []) {
      const holders = this.#byTerm.get(term);
      holders?.delete(work);
      if (holders?.size === 0) this.#byTerm.delete(term);
    }
  }
}

function isIndexed(record: ClaimRecord): boolean {
  return record.subject !== '' && record.state !== 'free';
}

/** A higher score wins; of equal scores, the smaller key, so the answer never depends on order. */
function stronger(best: { work: Work; score: number } | undefined, work: Work, score: number) {
  if (!best || score > best.score) return true;
  return score === best.score && work.record.work_key < best.work.record.work_key;
}
