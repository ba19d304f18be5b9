import { Counter, Histogram, type Registry } from 'prom-client';
import type { ClaimRecord, ClaimRequest } from '@paxfleet/events';

/** What the coordinator's claim decisions look like from Prometheus. */
export class ClaimMetrics {
  readonly #decisions: Counter<'decision'>;
  readonly #staleEpochRejections: Counter;
  readonly #latency: Histogram;
  readonly #overlaps: Counter<'action' | 'method'>;
  readonly #overlapUnchecked: Counter<'method'>;

  constructor(registry: Registry) {
    this.#decisions = new Counter({
      name: 'paxfleet_claim_decisions_total',
      help: 'Claim decisions by outcome: granted, renewed, denied, completed, abandoned, expired, rejected',
      labelNames: ['decision'],
      registers: [registry],
    });
    this.#staleEpochRejections = new Counter({
      name: 'paxfleet_claim_stale_epoch_rejections_total',
      help: 'Renewals, completions and releases refused because the agent no longer holds the key at that epoch',
      registers: [registry],
    });
    this.#latency = new Histogram({
      name: 'paxfleet_claim_decision_latency_seconds',
      help: 'From an agent writing a claim request to the coordinator deciding it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.#overlaps = new Counter({
      name: 'paxfleet_claim_overlaps_total',
      help: 'Claims for a new key found to repeat other work held or completed: denied (action deny) or granted beside complementary work (grant)',
      labelNames: ['action', 'method'],
      registers: [registry],
    });
    this.#overlapUnchecked = new Counter({
      name: 'paxfleet_claim_overlap_unchecked_total',
      help: 'Claims decided without the overlap check because its similarity method failed (an embeddings API down)',
      labelNames: ['method'],
      registers: [registry],
    });
  }

  overlapUnchecked(method: string): void {
    this.#overlapUnchecked.inc({ method });
  }

  record(request: ClaimRequest, decision: ClaimRecord): void {
    this.#decisions.inc({ decision: decision.decision });
    if (decision.decision === 'rejected') this.#staleEpochRejections.inc();
    if (decision.overlap)
      this.#overlaps.inc({ action: decision.overlap.action, method: decision.overlap.method });
    if (request.action !== 'expire')
      this.#latency.observe(Math.max(0, decision.decided_at - request.requested_at) / 1000);
  }
}
