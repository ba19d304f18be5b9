import type { EventContext, EventProducer, Progress, WorkInFlight } from '@paxfleet/events';

export interface ProgressStep {
  readonly context: EventContext;
  readonly workKey: string | null;
  readonly step: number;
  readonly totalSteps: number;
  readonly status: string;
}

function inFlight(step: ProgressStep): WorkInFlight {
  return {
    workflow_id: step.context.workflowId,
    work_key: step.workKey,
    step: step.step,
    total_steps: step.totalSteps,
    status: `${step.status} (step ${step.step}/${step.totalSteps})`,
  };
}

/**
 * Publishes what the agent instance is doing to agent-progress: each step of each piece
 * of work in flight as it starts, and a heartbeat listing every piece in flight (or idle)
 * so a silent agent is visible. Progress is live, outside the work's transaction: it
 * reports, it does not commit.
 */
export class ProgressReporter {
  readonly #producer: EventProducer;
  readonly #agent: string;
  readonly #instance: string;
  readonly #clock: () => number;
  readonly #onReported: (atMs: number) => void;
  /** The current step of each piece in flight, by the piece's identity. */
  readonly #pieces = new Map<object, ProgressStep>();
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

  /** Pieces of work in flight. */
  get inFlight(): number {
    return this.#pieces.size;
  }

  /** Reports the step one piece of work is starting. */
  async step(piece: object, step: ProgressStep): Promise<void> {
    this.#pieces.set(piece, step);
    const work = inFlight(step);
    await this.#publish(
      {
        state: 'working',
        workflow_id: work.workflow_id,
        work_key: work.work_key,
        step: work.step,
        total_steps: work.total_steps,
        status: work.status,
        work: [work],
      },
      step.context,
    );
  }

  /** The piece is done; when it was the last one, says the instance is idle. */
  async finish(piece: object): Promise<void> {
    if (!this.#pieces.delete(piece)) return;
    if (this.#pieces.size === 0) await this.heartbeat();
  }

  /** Every piece in flight (the status of the only one, when there is one), or idle. */
  async heartbeat(): Promise<void> {
    const steps = [...this.#pieces.values()];
    const work = steps.map(inFlight);
    const [only] = work;
    const summary =
      work.length === 0
        ? 'Idle'
        : work.length === 1 && only
          ? only.status
          : `${work.length} in flight: ${work.map((piece) => piece.status).join(', ')}`;
    await this.#publish(
      {
        state: work.length > 0 ? 'working' : 'idle',
        workflow_id: work.length === 1 && only ? only.workflow_id : null,
        work_key: work.length === 1 && only ? only.work_key : null,
        step: work.length === 1 && only ? only.step : 0,
        total_steps: work.length === 1 && only ? only.total_steps : 0,
        status: summary.length > 500 ? `${summary.slice(0, 497)}...` : summary,
        work,
      },
      work.length === 1 && steps[0] ? steps[0].context : { workflowId: `${this.#agent}-heartbeat` },
    );
  }

  startHeartbeat(intervalMs: number, onError: (error: unknown) => void): void {
    this.#heartbeat = setInterval(() => {
      this.heartbeat().catch(onError);
    }, intervalMs);
  }

  stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
  }

  async #publish(
    fields: Omit<Progress, 'agent' | 'instance' | 'at' | 'in_flight'>,
    context: EventContext,
  ): Promise<void> {
    await this.#producer.send(
      'agent-progress',
      this.#agent,
      {
        agent: this.#agent,
        instance: this.#instance,
        ...fields,
        at: this.#clock(),
        in_flight: this.#pieces.size,
      },
      context,
    );
    this.#onReported(this.#clock());
  }
}
