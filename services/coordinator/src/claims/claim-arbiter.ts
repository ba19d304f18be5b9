import type { Logger } from '@paxfleet/core';
import type { Kafka, KafkaConnection, KafkaError } from '@paxfleet/kafka';
import {
  EventProducer,
  ExactlyOnceProcessor,
  newTraceparent,
  TopicReader,
  type EventRegistry,
  type InputRecord,
  type Outbox,
} from '@paxfleet/events';
import type { ClaimMetrics } from './claim-metrics.ts';
import { ClaimLedger, type ClaimPolicy } from './ledger.ts';

export interface ClaimArbiterOptions {
  readonly kafka: Kafka;
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly groupId: string;
  /** Stable per instance; transactional ids of several coordinators must differ. */
  readonly transactionalId: string;
  readonly groupInstanceId?: string;
  readonly policy: ClaimPolicy;
  readonly metrics: ClaimMetrics;
  readonly topics?: { readonly requests: 'claim-requests'; readonly decisions: 'content-claims' };
  /** How often lapsed leases are looked for (default 1 s). */
  readonly sweepIntervalMs?: number;
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** The broker's ACLs refused its group or topic: it stops deciding; the service should stop. */
  readonly onRefused?: (error: KafkaError) => void;
}

const AGENT = 'coordinator';

/**
 * The one place that decides who owns a piece of work. Reads claim-requests in
 * log order and, in one transaction per run of requests, writes each decision
 * to content-claims and commits the request offsets. The claim state of a
 * partition is rebuilt from content-claims (co-partitioned with
 * claim-requests) when the partition is first used after an assignment.
 */
export class ClaimArbiter {
  readonly #options: ClaimArbiterOptions;
  readonly #requests: 'claim-requests';
  readonly #decisions: 'content-claims';
  readonly #ledgers = new Map<number, ClaimLedger>();
  /** Rebuilds under way, by partition; the claim log's one reader takes them in turn. */
  readonly #rebuilds = new Map<number, { owned: number; ledger: Promise<ClaimLedger> }>();
  #historyTurn: Promise<unknown> = Promise.resolve();
  /** Bumped when a partition is revoked: a rebuild begun before does not keep its ledger. */
  readonly #owned = new Map<number, number>();
  readonly #expiryRequested = new Map<string, number>();
  readonly #processor: ExactlyOnceProcessor<'claim-requests'>;
  readonly #history: TopicReader;
  readonly #expiries: EventProducer;
  readonly #clock: () => number;
  #sweeper: NodeJS.Timeout | undefined;
  #assigned = false;

  constructor(options: ClaimArbiterOptions) {
    this.#options = options;
    this.#requests = options.topics?.requests ?? 'claim-requests';
    this.#decisions = options.topics?.decisions ?? 'content-claims';
    this.#clock = options.clock ?? Date.now;
    this.#history = new TopicReader(options.connection, options.registry, {
      clientId: `${AGENT}-claim-history`,
      onUndecodable: (stored, error) =>
        options.logger?.error('unreadable record in the claim log skipped during rebuild', {
          partition: stored.partition,
          offset: stored.offset,
          error: error.message,
        }),
    });
    this.#expiries = new EventProducer({
      kafka: options.kafka,
      registry: options.registry,
      agent: AGENT,
    });
    this.#processor = new ExactlyOnceProcessor({
      kafka: options.kafka,
      registry: options.registry,
      agent: AGENT,
      groupId: options.groupId,
      transactionalId: options.transactionalId,
      ...(options.groupInstanceId && { groupInstanceId: options.groupInstanceId }),
      topics: [this.#requests],
      maxBatchMs: 20,
      // A transactional producer per claim-requests partition, as Kafka Streams has one per
      // task: no partition's decisions wait behind another's commit.
      lanes: options.registry.topic(this.#requests).partitions,
      ...(options.logger && { logger: options.logger }),
      ...(options.onRefused && { onRefused: options.onRefused }),
      transform: (record, outbox) => this.#decide(record, outbox),
      onAssign: () => {
        this.#assigned = true;
      },
      onRevoke: (partitions) => {
        for (const { partition } of partitions) {
          this.#ledgers.delete(partition);
          this.#owned.set(partition, (this.#owned.get(partition) ?? 0) + 1);
        }
      },
    });
  }

  /** True once the consumer group has given this instance its partitions (possibly none). */
  get joined(): boolean {
    return this.#assigned;
  }

  async start(): Promise<void> {
    await this.#history.connect();
    await this.#expiries.connect();
    await this.#processor.start();
    this.#sweeper = setInterval(() => {
      this.#sweep().catch((error: unknown) =>
        this.#options.logger?.warn('lease sweep failed', { error: (error as Error).message }),
      );
    }, this.#options.sweepIntervalMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.#processor.stop();
    await this.#expiries.disconnect();
    await this.#history.close();
  }

  async #decide(record: InputRecord<'claim-requests'>, outbox: Outbox): Promise<void> {
    const request = record.value;
    const ledger = await this.#ledgerFor(record.partition);
    const decision = ledger.decide(request, this.#clock());
    if (!decision) return;
    outbox.send(this.#decisions, decision.work_key, decision, record.context, {
      eventType: `claim.${decision.decision}`,
    });
    this.#options.metrics.record(request, decision);
  }

  /**
   * The partition's ledger, rebuilt from the claim log the first time. Lanes of several
   * partitions ask at once after an assignment: their rebuilds take turns on the one
   * reader (a PartitionReader reads one set of partitions at a time).
   */
  #ledgerFor(partition: number): Promise<ClaimLedger> {
    const ledger = this.#ledgers.get(partition);
    if (ledger) return Promise.resolve(ledger);
    const owned = this.#owned.get(partition) ?? 0;
    const running = this.#rebuilds.get(partition);
    // A rebuild begun before a revocation is not this assignment's.
    if (running?.owned === owned) return running.ledger;
    const rebuild = {
      owned,
      ledger: this.#historyTurn.then(() => this.#rebuild(partition, owned)),
    };
    this.#historyTurn = rebuild.ledger.catch(() => undefined);
    this.#rebuilds.set(partition, rebuild);
    const forget = () => {
      if (this.#rebuilds.get(partition) === rebuild) this.#rebuilds.delete(partition);
    };
    rebuild.ledger.then(forget, forget);
    return rebuild.ledger;
  }

  async #rebuild(partition: number, owned: number): Promise<ClaimLedger> {
    const ledger = new ClaimLedger(this.#options.policy);
    await this.#history.readToEnd<'content-claims'>(
      [{ topic: this.#decisions, partition, from: 'beginning' }],
      ({ value }) => ledger.apply(value),
    );
    // Revoked meanwhile: the next owner's decisions may follow; the ledger is rebuilt on return.
    if ((this.#owned.get(partition) ?? 0) === owned) this.#ledgers.set(partition, ledger);
    return ledger;
  }

  /** Lapsed leases are reclaimed by asking: the expiry is decided in log order like every request. */
  async #sweep(): Promise<void> {
    const now = this.#clock();
    const lapsed = [...this.#ledgers.values()].flatMap((ledger) => ledger.lapsed(now));
    for (const record of lapsed) {
      const asked = this.#expiryRequested.get(`${record.work_key}@${record.epoch}`);
      if (asked !== undefined && now - asked < 5000) continue;
      this.#expiryRequested.set(`${record.work_key}@${record.epoch}`, now);
      await this.#expiries.send(
        this.#requests,
        record.work_key,
        {
          request_id: `expire-${record.work_key}-${record.epoch}-${now}`,
          work_key: record.work_key,
          workflow_id: record.workflow_id,
          agent: AGENT,
          action: 'expire',
          epoch: record.epoch,
          lease_ms: 0,
          format: record.format,
          requested_at: now,
        },
        { workflowId: record.workflow_id || 'coordinator', traceparent: newTraceparent() },
        { eventType: 'claim.expire' },
      );
    }
    for (const [key, at] of this.#expiryRequested)
      if (now - at > 60_000) this.#expiryRequested.delete(key);
  }
}
