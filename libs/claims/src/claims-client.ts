import { randomUUID } from 'node:crypto';
import { type Kafka, type KafkaConnection, type PartitionRecord } from '@paxfleet/kafka';
import {
  EventProducer,
  TopicReader,
  type ClaimAction,
  type ClaimRecord,
  type EventContext,
  type EventRegistry,
  type OutgoingRecord,
} from '@paxfleet/events';
import { ClaimsError } from './errors.ts';

export type ClaimOutcome =
  | {
      readonly granted: true;
      readonly workKey: string;
      readonly epoch: number;
      readonly leaseExpiresAt: number;
      readonly reason: string;
      readonly record: ClaimRecord;
    }
  | {
      readonly granted: false;
      readonly workKey: string;
      /** Who holds (or completed) the work; null when the key is free but the request was refused. */
      readonly holder: string | null;
      readonly reason: string;
      readonly record: ClaimRecord;
    };

export interface ClaimsClientOptions {
  readonly kafka: Kafka;
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  /** The agent asking; the coordinator names it as holder. */
  readonly agent: string;
  /** The process's producer, shared (its owner connects and closes it); one of its own when absent. */
  readonly producer?: EventProducer;
  /** How often the renewal loop renews every held claim (default a third of leaseMs). */
  readonly renewIntervalMs?: number;
  /** Told of a held claim whose renewal the coordinator refused or did not answer. */
  readonly onRenewalFailed?: (workKey: string, error: Error) => void;
  /** How long to wait for the coordinator's decision (default 10 s). */
  readonly timeoutMs?: number;
  /** Lease asked for on claim and renew (default 30 s). */
  readonly leaseMs?: number;
  readonly topics?: { readonly requests: 'claim-requests'; readonly decisions: 'content-claims' };
  readonly clock?: () => number;
  /** Called for a record on the decisions topic that is not a readable claim decision. */
  readonly onUndecodable?: (record: PartitionRecord, error: unknown) => void;
}

export interface RequestOptions {
  readonly context: EventContext;
  readonly format?: string;
  /** What the work is about (a claim's topic): the coordinator denies a claim that repeats other work. */
  readonly subject?: string;
  readonly leaseMs?: number;
  readonly timeoutMs?: number;
}

interface Waiter {
  resolve(record: ClaimRecord): void;
  timer: NodeJS.Timeout;
}

/** A granted claim the renewal loop keeps alive. */
interface HeldClaim {
  readonly epoch: number;
  readonly context: EventContext;
}

/**
 * How an agent takes part in claims: it asks on claim-requests and waits for
 * the coordinator's decision on content-claims. Agents never decide claims;
 * every decision, theirs or not, is visible to onDecision listeners.
 */
export class ClaimsClient {
  readonly #options: ClaimsClientOptions;
  readonly #producer: EventProducer;
  readonly #reader: TopicReader;
  readonly #waiters = new Map<string, Waiter>();
  readonly #listeners = new Set<(record: ClaimRecord) => void>();
  readonly #requests: 'claim-requests';
  readonly #decisions: 'content-claims';
  readonly #ownsProducer: boolean;
  readonly #held = new Map<string, HeldClaim>();
  #renewals: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #started = false;

  constructor(options: ClaimsClientOptions) {
    this.#options = options;
    this.#requests = options.topics?.requests ?? 'claim-requests';
    this.#decisions = options.topics?.decisions ?? 'content-claims';
    this.#ownsProducer = options.producer === undefined;
    this.#producer =
      options.producer ??
      new EventProducer({ kafka: options.kafka, registry: options.registry, agent: options.agent });
    // Not a claim decision: nothing here waits for it, and it must not stop the others.
    this.#reader = new TopicReader(options.connection, options.registry, {
      clientId: `${options.agent}-claims`,
      ...(options.onUndecodable && { onUndecodable: options.onUndecodable }),
    });
  }

  /** Connects and starts following decisions from now on; requests sent after this resolves are always answered. */
  async start(): Promise<void> {
    try {
      await this.#follow();
    } catch (error) {
      // What it opened would keep the process alive after a failed start.
      await this.#reader.close();
      if (this.#ownsProducer) await this.#producer.disconnect().catch(() => {});
      throw error;
    }
    this.#started = true;
    const leaseMs = this.#options.leaseMs ?? 30_000;
    this.#renewals = setInterval(
      () => {
        this.#renewing ??= this.renewHeld().finally(() => (this.#renewing = undefined));
      },
      this.#options.renewIntervalMs ?? Math.max(100, Math.floor(leaseMs / 3)),
    );
  }

  async #follow(): Promise<void> {
    if (this.#ownsProducer) await this.#producer.connect();
    await this.#reader.connect();
    await this.#reader.follow<'content-claims'>(
      await this.#reader.everyPartition(this.#decisions, 'end'),
      ({ value: decision }) => {
        for (const listener of this.#listeners) listener(decision);
        const waiter = decision.request_id ? this.#waiters.get(decision.request_id) : undefined;
        if (waiter && decision.request_id) {
          clearTimeout(waiter.timer);
          this.#waiters.delete(decision.request_id);
          waiter.resolve(decision);
        }
      },
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.#renewals);
    await this.#renewing;
    this.#held.clear();
    this.#started = false;
    for (const [id, waiter] of this.#waiters) {
      clearTimeout(waiter.timer);
      this.#waiters.delete(id);
    }
    await this.#reader.close();
    if (this.#ownsProducer) await this.#producer.disconnect();
  }

  /** Keeps a granted claim's lease alive from the renewal loop until release(). */
  hold(workKey: string, epoch: number, context: EventContext): void {
    this.#held.set(workKey, { epoch, context });
  }

  /** Stops renewing the claim (completed, abandoned, or the work gave up). */
  release(workKey: string): void {
    this.#held.delete(workKey);
  }

  /** Claims the renewal loop keeps alive. */
  get held(): number {
    return this.#held.size;
  }

  /**
   * One round of the renewal loop: a renew request for every held claim, sent together,
   * and each decision awaited. A refused renewal (a lapsed lease, a stale epoch) drops the
   * claim, so its work's completion will be refused too and nothing is published.
   */
  async renewHeld(): Promise<void> {
    const held = [...this.#held];
    if (held.length === 0 || !this.#started) return;
    const asked = held.map(([workKey, claim]) => ({
      workKey,
      ...this.#request('renew', workKey, claim.epoch, { context: claim.context }),
    }));
    try {
      await this.#producer.sendRecords(asked.map(({ record }) => record));
    } catch (error) {
      for (const { cancel } of asked) cancel();
      for (const [workKey] of held) this.#options.onRenewalFailed?.(workKey, error as Error);
      return;
    }
    await Promise.all(
      asked.map(async ({ workKey, decided }) => {
        try {
          this.#expect('renewed', await decided);
        } catch (error) {
          if ((error as ClaimsError).code === 'CLAIMS_REJECTED') this.#held.delete(workKey);
          this.#options.onRenewalFailed?.(workKey, error as Error);
        }
      }),
    );
  }

  /** Every decision the coordinator publishes, for any agent and key. */
  onDecision(listener: (record: ClaimRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async acquire(workKey: string, options: RequestOptions): Promise<ClaimOutcome> {
    const record = await this.#ask('claim', workKey, 0, options);
    if (record.decision === 'granted' && record.holder === this.#options.agent) {
      return {
        granted: true,
        workKey,
        epoch: record.epoch,
        leaseExpiresAt: record.lease_expires_at,
        reason: record.reason,
        record,
      };
    }
    return { granted: false, workKey, holder: record.holder, reason: record.reason, record };
  }

  /** Extends the lease; throws CLAIMS_REJECTED when the claim was lost (stale epoch or lapsed lease). */
  async renew(workKey: string, epoch: number, options: RequestOptions): Promise<ClaimRecord> {
    return this.#expect('renewed', await this.#ask('renew', workKey, epoch, options));
  }

  /** Marks the work done; throws CLAIMS_REJECTED when the epoch is stale, so the result must not be published. */
  async complete(workKey: string, epoch: number, options: RequestOptions): Promise<ClaimRecord> {
    return this.#expect('completed', await this.#ask('complete', workKey, epoch, options));
  }

  async abandon(workKey: string, epoch: number, options: RequestOptions): Promise<ClaimRecord> {
    return this.#expect('abandoned', await this.#ask('abandon', workKey, epoch, options));
  }

  #expect(decision: ClaimRecord['decision'], record: ClaimRecord): ClaimRecord {
    if (record.decision !== decision) {
      throw new ClaimsError(
        'CLAIMS_REJECTED',
        `${record.work_key}: ${record.reason || record.decision}`,
        {
          details: {
            workKey: record.work_key,
            decision: record.decision,
            epoch: record.epoch,
            holder: record.holder,
          },
        },
      );
    }
    return record;
  }

  async #ask(
    action: ClaimAction,
    workKey: string,
    epoch: number,
    options: RequestOptions,
  ): Promise<ClaimRecord> {
    const { record, decided, cancel } = this.#request(action, workKey, epoch, options);
    try {
      await this.#producer.sendRecords([record]);
    } catch (error) {
      cancel();
      throw error;
    }
    return decided;
  }

  /** The request record and a promise of the coordinator's decision on it (or a timeout). */
  #request(
    action: ClaimAction,
    workKey: string,
    epoch: number,
    options: RequestOptions,
  ): { record: OutgoingRecord; decided: Promise<ClaimRecord>; cancel: () => void } {
    if (!this.#started)
      throw new ClaimsError('CLAIMS_NOT_STARTED', 'call start() before asking for claims');
    const requestId = randomUUID();
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 10_000;
    const record = this.#producer.record(
      this.#requests,
      workKey,
      {
        request_id: requestId,
        work_key: workKey,
        workflow_id: options.context.workflowId,
        agent: this.#options.agent,
        action,
        epoch,
        lease_ms: options.leaseMs ?? this.#options.leaseMs ?? 30_000,
        format: options.format ?? '',
        subject: options.subject ?? '',
        requested_at: (this.#options.clock ?? Date.now)(),
      },
      options.context,
      { eventType: `claim.${action}` },
    );
    const decided = new Promise<ClaimRecord>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(requestId);
        reject(
          new ClaimsError(
            'CLAIMS_TIMEOUT',
            `the coordinator did not decide ${action} of ${workKey} within ${timeoutMs} ms; is it running and reading ${this.#requests}?`,
            { details: { workKey, action, requestId, timeoutMs } },
          ),
        );
      }, timeoutMs);
      this.#waiters.set(requestId, { resolve, timer });
    });
    const cancel = () => {
      const waiter = this.#waiters.get(requestId);
      if (waiter) clearTimeout(waiter.timer);
      this.#waiters.delete(requestId);
    };
    return { record, decided, cancel };
  }
}
