/** How an agent treats an event older than its maximum age. */
export type StalePolicy<R> =
  | { readonly kind: 'skip' }
  /** Acts on the old event only if the check says it is still the latest of its kind. */
  | { readonly kind: 'recheck'; readonly stillCurrent: (record: R) => boolean | Promise<boolean> };

export interface StalenessVerdict {
  readonly stale: boolean;
  readonly ageMs: number;
  readonly reason: string;
}

export function describeAge(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/**
 * An old event is not acted on blindly: the audit agent of the article acted
 * on a 12-hour-old research event after its consumer fell behind.
 */
export class StalenessGuard<R extends { readonly timestamp: number }> {
  readonly maxAgeMs: number;
  readonly #policy: StalePolicy<R>;

  constructor(maxAgeMs: number, policy: StalePolicy<R>) {
    this.maxAgeMs = maxAgeMs;
    this.#policy = policy;
  }

  async judge(record: R, now: number): Promise<StalenessVerdict> {
    const ageMs = Math.max(0, now - record.timestamp);
    if (ageMs <= this.maxAgeMs) return { stale: false, ageMs, reason: '' };
    const limit = `event is ${describeAge(ageMs)} old, over the ${describeAge(this.maxAgeMs)} limit`;
    if (this.#policy.kind === 'recheck' && (await this.#policy.stillCurrent(record))) {
      return { stale: false, ageMs, reason: `${limit} but still the latest` };
    }
    return {
      stale: true,
      ageMs,
      reason: this.#policy.kind === 'recheck' ? `${limit} and superseded` : limit,
    };
  }
}
