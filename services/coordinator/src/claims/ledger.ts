import type { ClaimOverlap, ClaimRecord, ClaimRequest } from '@paxfleet/events';

export interface ClaimPolicy {
  /** How long completed work stays claimed, so re-published research is not written again. */
  readonly completionWindowMs: number;
  /** A claim request that waited longer than this in the log is denied: its sender has given up. */
  readonly maxRequestAgeMs: number;
}

/** Finds other work a claim would repeat: the coordinator's overlap index. */
export interface OverlapCheck {
  /** The most alike work held or completed at `now`, other than the request's key, at or above the threshold. */
  find(request: ClaimRequest, now: number): ClaimOverlap | undefined;
}

/** How a decision names the overlapping work: `overlaps content:x (0.87), claimed by marketing`. */
export function describeOverlap(overlap: ClaimOverlap): string {
  const by = overlap.state === 'held' ? 'claimed' : 'completed';
  return `overlaps ${overlap.work_key} (${overlap.score.toFixed(2)}), ${by} by ${overlap.holder ?? 'nobody'}`;
}

export const DEFAULT_CLAIM_POLICY: ClaimPolicy = {
  completionWindowMs: 24 * 60 * 60 * 1000,
  maxRequestAgeMs: 30_000,
};

/**
 * The claim state of the work keys of one claim-requests partition, and the
 * rules that decide every request. Requests are decided one at a time in log
 * order, so for any key exactly one claim wins; every decision is a full
 * snapshot of the key's state, so the latest record per key in the compacted
 * content-claims topic is enough to rebuild the ledger.
 */
export class ClaimLedger {
  readonly #policy: ClaimPolicy;
  readonly #keys = new Map<string, ClaimRecord>();

  constructor(policy: ClaimPolicy = DEFAULT_CLAIM_POLICY) {
    this.#policy = policy;
  }

  /** Replays a decision read back from content-claims. */
  apply(record: ClaimRecord): void {
    this.#keys.set(record.work_key, record);
  }

  current(workKey: string): ClaimRecord | undefined {
    return this.#keys.get(workKey);
  }

  /** Held keys whose lease ran out by `now`. */
  lapsed(now: number): ClaimRecord[] {
    return [...this.#keys.values()].filter(
      (record) => record.state === 'held' && record.lease_expires_at <= now,
    );
  }

  /**
   * Decides a request, records the outcome and returns it; undefined when there is nothing
   * to record. `overlaps` is asked before a fresh grant (a new holder or epoch) of a request
   * with a subject; without it, the work is not compared with other keys.
   */
  decide(request: ClaimRequest, now: number, overlaps?: OverlapCheck): ClaimRecord | undefined {
    const current = this.#keys.get(request.work_key);
    const decision = this.#rule(request, current, now, overlaps);
    if (decision) this.#keys.set(decision.work_key, decision);
    return decision;
  }

  #rule(
    request: ClaimRequest,
    current: ClaimRecord | undefined,
    now: number,
    overlaps: OverlapCheck | undefined,
  ): ClaimRecord | undefined {
    const unchanged = (decision: ClaimRecord['decision'], reason: string): ClaimRecord =>
      current
        ? {
            ...current,
            decision,
            reason,
            request_id: request.request_id,
            requester: request.agent,
            decided_at: now,
            overlap: null,
          }
        : this.#record(request, now, {
            state: 'free',
            holder: null,
            epoch: 0,
            lease_expires_at: 0,
            decision,
            reason,
          });
    const owns = current?.holder === request.agent && current.epoch === request.epoch;

    switch (request.action) {
      case 'claim': {
        const age = now - request.requested_at;
        if (age > this.#policy.maxRequestAgeMs) {
          return unchanged(
            'denied',
            `request waited ${age} ms, longer than ${this.#policy.maxRequestAgeMs} ms`,
          );
        }
        const grant = (epoch: number, reason: string) =>
          this.#record(request, now, {
            state: 'held',
            holder: request.agent,
            epoch,
            lease_expires_at: now + request.lease_ms,
            decision: 'granted',
            reason,
          });
        // A fresh grant starts work: unless it repeats other work, by the policy's leave.
        const fresh = (epoch: number, reason: string): ClaimRecord => {
          const overlap = request.subject ? overlaps?.find(request, now) : undefined;
          if (!overlap) return grant(epoch, reason);
          if (overlap.action === 'deny')
            return { ...unchanged('denied', describeOverlap(overlap)), overlap };
          return {
            ...grant(epoch, `${reason}; complements: ${describeOverlap(overlap)}`),
            overlap,
          };
        };
        if (!current || current.state === 'free') return fresh((current?.epoch ?? 0) + 1, 'free');
        const lapsed = current.lease_expires_at <= now;
        if (current.state === 'held') {
          if (lapsed) return fresh(current.epoch + 1, `lease of ${current.holder} expired`);
          if (current.holder === request.agent) return grant(current.epoch, 'already held by you');
          return unchanged('denied', `already claimed by ${current.holder}`);
        }
        if (lapsed) return fresh(current.epoch + 1, 'completion window passed');
        if (current.holder === request.agent && current.workflow_id === request.workflow_id) {
          // The holder is redoing the same workflow: its result was never published (a crash
          // between completion and publishing), so it gets its claim back to finish the work.
          return grant(current.epoch, 'recovering your completed claim');
        }
        return unchanged('denied', `already completed by ${current.holder}`);
      }
      case 'renew':
        if (current?.state === 'held' && owns && current.lease_expires_at > now) {
          return {
            ...current,
            ...this.#answer(request, now, 'renewed', ''),
            lease_expires_at: now + request.lease_ms,
          };
        }
        return unchanged('rejected', this.#staleReason(request, current, now));
      case 'complete':
        if ((current?.state === 'held' || current?.state === 'completed') && owns) {
          return {
            ...current,
            ...this.#answer(request, now, 'completed', ''),
            state: 'completed',
            lease_expires_at: now + this.#policy.completionWindowMs,
          };
        }
        return unchanged('rejected', this.#staleReason(request, current, now));
      case 'abandon':
        if (current?.state === 'held' && owns) {
          return {
            ...current,
            ...this.#answer(request, now, 'abandoned', ''),
            state: 'free',
            holder: null,
            lease_expires_at: 0,
          };
        }
        return unchanged('rejected', this.#staleReason(request, current, now));
      case 'expire':
        if (
          current?.state === 'held' &&
          current.epoch === request.epoch &&
          current.lease_expires_at <= now
        ) {
          return {
            ...current,
            ...this.#answer(request, now, 'expired', `lease of ${current.holder} expired`),
            state: 'free',
            holder: null,
            lease_expires_at: 0,
          };
        }
        return undefined;
    }
  }

  #answer(request: ClaimRequest, now: number, decision: ClaimRecord['decision'], reason: string) {
    return {
      decision,
      reason,
      request_id: request.request_id,
      requester: request.agent,
      decided_at: now,
      overlap: null,
    };
  }

  #record(
    request: ClaimRequest,
    now: number,
    state: Pick<
      ClaimRecord,
      'state' | 'holder' | 'epoch' | 'lease_expires_at' | 'decision' | 'reason'
    >,
  ): ClaimRecord {
    return {
      work_key: request.work_key,
      workflow_id: request.workflow_id,
      format: request.format,
      request_id: request.request_id,
      requester: request.agent,
      decided_at: now,
      subject: request.subject,
      overlap: null,
      ...state,
    };
  }

  #staleReason(request: ClaimRequest, current: ClaimRecord | undefined, now: number): string {
    if (!current || current.state === 'free')
      return `stale epoch ${request.epoch}: ${request.work_key} is not held`;
    if (current.holder !== request.agent) {
      return `stale epoch ${request.epoch}: ${request.work_key} is at epoch ${current.epoch}, held by ${current.holder}`;
    }
    if (current.epoch !== request.epoch)
      return `stale epoch ${request.epoch}: you hold epoch ${current.epoch}`;
    return `lease expired at ${current.lease_expires_at}, ${now - current.lease_expires_at} ms ago`;
  }
}
