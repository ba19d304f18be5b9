import type { EventContext, EventProducer, Progress } from '@paxfleet/events';

export interface ProgressStep {
  readonly context: EventContext;
  readonly workKey: string | null;
  readonly step: number;
  readonly totalSteps: number;
  readonly status: string;
}

/**
 * Publishes what the agent is doing to agent-progress: each step of its work
 * as it starts, and a heartbeat (idle or working) so a silent agent is visible.
 * Progress is live, outside the work's transaction: it reports, it does not commit.
 */
export class ProgressReporter {
  readonly #producer: EventProducer;
  readonly #agent: string;
  readonly #instance: string;
  readonly #clock: () => number;
  readonly #onReported: (atMs: number) => void;
  #current: ProgressStep | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: {
    producer: EventProducer;
    agent: string;
    instance: string;
    clock?: () => number;
    /** Told the time of each progress record Kafka accepted. */
    onReported?: (atMs: number) => void;
  }) {
    this.#producer = options.producer;
    this.#agent = options.agent;
    this.#instance = options.instance;
    this.#clock = options.clock ?? Date.now;
    this.#onReported = options.onReported ?? (() => {});
  }

  get current(): ProgressStep | undefined {
    return this.#current;
  }

  async step(step: ProgressStep): Promise<void> {
    this.#current = step;
    await this.#publish();
  }

  async idle(): Promise<void> {
    this.#current = undefined;
    await this.#publish();
  }

  startHeartbeat(intervalMs: number, onError: (error: unknown) => void): void {
    this.#heartbeat = setInterval(() => {
      this.#publish().catch(onError);
    }, intervalMs);
  }

  stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
  }

  async #publish(): Promise<void> {
    const step = this.#current;
    const progress: Progress = {
      agent: this.#agent,
      instance: this.#instance,
      state: step ? 'working' : 'idle',
      workflow_id: step?.context.workflowId ?? null,
      work_key: step?.workKey ?? null,
      step: step?.step ?? 0,
      total_steps: step?.totalSteps ?? 0,
      status: step ? `${step.status} (step ${step.step}/${step.totalSteps})` : 'Idle',
      at: this.#clock(),
    };
    await this.#producer.send(
      'agent-progress',
      this.#agent,
      progress,
      step?.context ?? { workflowId: `${this.#agent}-heartbeat` },
    );
    this.#onReported(this.#clock());
  }
}
