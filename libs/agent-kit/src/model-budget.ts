import type { KafkaConnection, PartitionRecord } from '@paxfleet/kafka';
import { HEADER, TopicReader, type EventRegistry } from '@paxfleet/events';
import type { ServiceLogger } from '@paxfleet/service';
import type { AgentMetrics } from './agent-metrics.ts';
import type { ModelCallRecord } from './model-ledger.ts';
import type { SpendWindow } from './budget.ts';

export interface ModelBudgetOptions {
  readonly agent: string;
  readonly window: SpendWindow;
  readonly windowMs: number;
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly logger: ServiceLogger;
  readonly metrics: AgentMetrics;
  readonly clock: () => number;
  /** Stop and go on taking work (the processor's pause and resume). */
  readonly pause: () => void;
  readonly resume: () => void;
}

/**
 * An agent's model budget across its instances: the spend of the window is what the
 * ledger (model-calls) records for the agent, plus this instance's calls not yet
 * committed. Over a limit, the instance stops taking work (what is in flight finishes)
 * until enough spend has left the window.
 */
export class ModelBudget {
  readonly #options: ModelBudgetOptions;
  readonly #reader: TopicReader;
  #paused = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ModelBudgetOptions) {
    this.#options = options;
    this.#reader = new TopicReader(options.connection, options.registry, {
      clientId: `${options.agent}-budget`,
      onError: (error) =>
        options.logger.warn('model ledger not followed', { error: error.message }),
    });
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Reads the window's calls of the agent from the ledger, then follows it. */
  async start(): Promise<void> {
    const since = this.#options.clock() - this.#options.windowMs;
    await this.#reader.connect();
    const starts = await this.#reader.everyPartition('model-calls', { atOrAfter: since });
    const mine = (record: PartitionRecord) =>
      record.headers[HEADER.producer]?.toString('utf8') === this.#options.agent;
    await this.#reader.follow<'model-calls'>(
      starts,
      (record) => {
        this.#options.window.add(record.value);
        this.#judge();
      },
      mine,
    );
    this.#judge();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#reader.close();
  }

  /** A call this instance made, before its record commits. */
  record(call: ModelCallRecord): void {
    this.#options.window.add(call);
    this.#judge();
  }

  #judge(): void {
    const { logger, metrics, agent } = this.#options;
    const verdict = this.#options.window.judge(this.#options.clock());
    metrics.budgetSpent(verdict.spent);
    clearTimeout(this.#timer);
    if (verdict.exceeded) {
      if (!this.#paused) {
        this.#paused = true;
        this.#options.pause();
        metrics.budgetPaused(true);
        logger.warn('model budget exceeded: taking no work until the window has room', {
          agent,
          reason: verdict.reason,
          resume_at: new Date(verdict.resumeAt).toISOString(),
        });
      }
      this.#timer = setTimeout(
        () => this.#judge(),
        Math.max(0, verdict.resumeAt - this.#options.clock()) + 1,
      );
      this.#timer.unref();
    } else if (this.#paused) {
      this.#paused = false;
      this.#options.resume();
      metrics.budgetPaused(false);
      logger.info('model budget has room again: taking work', { agent });
    }
  }
}
