import type { Logger } from '@paxfleet/core';
import type { Kafka, KafkaConnection, KafkaError } from '@paxfleet/kafka';
import {
  EventProducer,
  ExactlyOnceProcessor,
  newTraceparent,
  TopicReader,
  type EventRegistry,
  type ClaimRequest,
  type InputRecord,
  type Outbox,
} from '@paxfleet/events';
import { OverlapError } from '@paxfleet/overlap';
import type { ClaimMetrics } from './claim-metrics.ts';
import { ClaimLedger, type ClaimPolicy } from './ledger.ts';
import { OverlapIndex, type OverlapIndexOptions } from './overlap-index.ts';

export interface ClaimArbiterOptions {
  readonly kafka: Kafka;
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly groupId: string;
  /** Stable per instance; transactional ids of several coordinators must differ. */
  readonly transactionalId: string;
  readonly groupInstanceId?: string;
  readonly policy: ClaimPolicy;
  /** How claims for new keys are compared with other work; absent: they are not. */
  readonly overlap?: OverlapIndexOptions;
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
/** How many times a claim's overlap check asks the similarity method for what it lacks. */
const PREPARE_ROUNDS = 3;

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
  /** The work of every partition, which any claim may repeat; fed by #decisions' follower. */
  readonly #overlaps: OverlapIndex | undefined;
  readonly #decisionFollower: TopicReader | undefined;
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
    if (options.overlap) {
      this.#overlaps = new OverlapIndex(options.overlap);
      this.#decisionFollower = new TopicReader(options.connection, options.registry, {
        clientId: `${AGENT}-overlap-index`,
        onUndecodable: (stored, error) =>
          options.logger?.error(
            'unreadable record in the claim log left out of the overlap index',
            {
              partition: stored.partition,
              offset: stored.offset,
              error: error.message,
            },
          ),
      });
    }
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
    await this.#followDecisions();
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
    await this.#decisionFollower?.close();
    await this.#history.close();
  }

  /**
   * Reads every partition's decisions into the overlap index before the first request is
   * decided, then keeps it current with other instances' decisions.
   */
  async #followDecisions(): Promise<void> {
    const follower = this.#decisionFollower;
    const index = this.#overlaps;
    if (!follower || !index) return;
    await follower.connect();
    await follower.follow<'content-claims'>(
      await follower.everyPartition(this.#decisions),
      ({ value }) => index.apply(value),
    );
  }

  async #decide(record: InputRecord<'claim-requests'>, outbox: Outbox): Promise<void> {
    const request = record.value;
    const ledger = await this.#ledgerFor(record.partition);
    const overlaps = await this.#overlapCheck(request);
    const decision = ledger.decide(request, this.#clock(), overlaps);
    if (!decision) return;
    this.#overlaps?.apply(decision);
    outbox.send(this.#decisions, decision.work_key, decision, record.context, {
      eventType: `claim.${decision.decision}`,
    });
    this.#options.metrics.record(request, decision);
  }

  /**
   * The overlap index, once it can score the request against all the work it may repeat
   * (a method that asks a server has fetched what it lacks); undefined when there is no
   * check, or the method failed: the claim is then decided on its key alone, and logged.
   */
  async #overlapCheck(request: ClaimRequest): Promise<OverlapIndex | undefined> {
    const index = this.#overlaps;
    if (!index || request.action !== 'claim' || request.subject === '') return undefined;
    const similarity = this.#options.overlap?.similarity;
    try {
      // Decisions of other lanes may add work while this one waits: asked again, a few times
      // (a cache smaller than the work would never hold it all).
      let missing = index.unprepared(request);
      for (let round = 0; missing.length > 0; round += 1) {
        if (round === PREPARE_ROUNDS) {
          throw new OverlapError(
            'OVERLAP_NOT_PREPARED',
            `${missing.length} subjects still unprepared after ${PREPARE_ROUNDS} rounds`,
          );
        }
        await similarity?.prepare(missing);
        missing = index.unprepared(request);
      }
      return index;
    } catch (error) {
      this.#options.metrics.overlapUnchecked(index.method);
      this.#options.logger?.warn('overlap check skipped: the similarity method failed', {
        work_key: request.work_key,
        method: index.method,
        error: (error as Error).message,
      });
      return undefined;
    }
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
    this.#overlaps?.prune(now);
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
          subject: record.subject,
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
