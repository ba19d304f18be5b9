import { performance } from 'node:perf_hooks';
import { isSpanContextValid, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import type { Kafka, KafkaConnection, KafkaError } from '@paxfleet/kafka';
import {
  ConcurrentProcessor,
  EventProducer,
  type ActivityRecord,
  type Bodies,
  type ClaimRecord,
  type EventRegistry,
  type InputRecord,
  type Outbox,
  type TopicName,
} from '@paxfleet/events';
import { ClaimsClient, type ClaimOutcome } from '@paxfleet/claims';
import type { ModelProvider, PriceTable } from '@paxfleet/models';
import type { ServiceLogger } from '@paxfleet/service';
import { AgentMetrics } from './agent-metrics.ts';
import { SpendWindow, type BudgetLimits } from './budget.ts';
import { ModelBudget } from './model-budget.ts';
import { ledgeredModel } from './model-ledger.ts';
import { loadRecordedCalls, RecordedCalls, replayingModel } from './replay-model.ts';
import { ProgressReporter } from './progress.ts';
import { StalenessGuard, type StalePolicy } from './staleness.ts';

export interface HandlerOutcome {
  readonly outcome: 'processed' | 'skipped' | 'failed';
  /** Why, in words a person reads on the dashboard: `already claimed by marketing`. */
  readonly reason?: string;
  readonly workKey?: string;
}

/** Everything a handler needs for one event. */
export interface Work<K extends TopicName> {
  readonly record: InputRecord<K>;
  /** Records written in the same transaction as the input's offset. */
  readonly outbox: Outbox;
  /** Carries agent, workflow_id, trace_id and span_id. */
  readonly logger: ServiceLogger;
  readonly model: ModelProvider;
  /** Bodies of events: inline when small, else in the blob store. */
  readonly bodies: Bodies;
  readonly clock: () => number;
  /** Reports a step of this work to agent-progress (the claim's lease is renewed by the instance's renewal loop). */
  progress(step: number, totalSteps: number, status: string): Promise<void>;
  /**
   * Asks the coordinator for a work key; a grant is kept alive until completion or the end
   * of the work. `subject` (what the work is about, e.g. its topic) lets the coordinator
   * deny work that repeats other work under another key.
   */
  claim(
    workKey: string,
    work: { readonly format: string; readonly subject?: string },
  ): Promise<ClaimOutcome>;
  /** Completes the claim; throws ClaimsError CLAIMS_REJECTED if it was lost, so nothing is published. */
  completeClaim(): Promise<ClaimRecord>;
}

export interface AgentDefinition<K extends TopicName> {
  /** The agent id: producer header, claim holder, progress key. */
  readonly name: string;
  readonly consumes: readonly K[];
  readonly maxEventAgeMs: number;
  readonly stalePolicy: StalePolicy<InputRecord<K>>;
  /** Sees every record first, before staleness is judged (to remember what is latest). */
  readonly observe?: (record: InputRecord<K>) => void;
  readonly handle: (work: Work<K>) => Promise<HandlerOutcome>;
}

export interface AgentDeps {
  readonly kafka: Kafka;
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly metrics: Registry;
  readonly logger: ServiceLogger;
  readonly model: ModelProvider;
  /** What the ledger prices each model call by. */
  readonly prices: PriceTable;
  /** The agent's model budget; without a limit in it, the agent never pauses for spend. */
  readonly budget?: BudgetLimits;
  /** Shadow replay: answer model calls from the recordings on the namespace's model-calls. */
  readonly replay?: boolean;
  /** Appended to the system message of every model call (AGENT_PROMPT_NOTE). */
  readonly promptNote?: string;
  readonly bodies: Bodies;
  readonly instance: string;
  readonly groupId: string;
  readonly transactionalId: string;
  /** Whether the agent takes part in claims (content agents do). */
  readonly claims: boolean;
  /** Most events in flight at once (AGENT_CONCURRENCY). */
  readonly concurrency: number;
  /** How long SIGTERM lets in-flight events finish before leaving them to the next owner. */
  readonly drainTimeoutMs?: number;
  readonly leaseMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly clock?: () => number;
  /** The broker's ACLs refused the agent's group, a topic or its transactional id: stop the service. */
  readonly onRefused?: (error: KafkaError) => void;
}

/** Model calls as CLIENT spans in the workflow's trace. */
function tracedModel(model: ModelProvider): ModelProvider {
  const tracer = trace.getTracer('@paxfleet/agent-kit');
  return {
    name: model.name,
    complete: (request) =>
      tracer.startActiveSpan(
        `chat ${model.name}`,
        { kind: SpanKind.CLIENT, attributes: { 'gen_ai.system': model.name } },
        async (span) => {
          try {
            const completion = await model.complete(request);
            span.setAttribute('gen_ai.response.model', completion.model);
            return completion;
          } catch (error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
  };
}

/** The note appended to every call's system message: it is part of what the ledger hashes. */
function withPromptNote(note: string | undefined, model: ModelProvider): ModelProvider {
  if (!note) return model;
  return {
    name: model.name,
    complete: (request) =>
      model.complete({
        ...request,
        system: request.system ? `${request.system}\n\n${note}` : note,
      }),
  };
}

/** This agent's span for the record (the processor makes it active), else the record's traceparent. */
function traceFields(traceparent: string | undefined): { trace_id?: string; span_id?: string } {
  const active = trace.getActiveSpan()?.spanContext();
  if (active && isSpanContextValid(active)) {
    return { trace_id: active.traceId, span_id: active.spanId };
  }
  const [, traceId, spanId] = traceparent?.split('-') ?? [];
  return traceId && spanId ? { trace_id: traceId, span_id: spanId } : {};
}

/**
 * One agent instance: up to `concurrency` input events in flight, each judged for
 * staleness, handled, recorded in agent-activity and committed with its outputs in a
 * Kafka transaction; progress and heartbeats go out live on the process's one
 * producer, and one loop renews every claim the instance holds.
 */
export class AgentRuntime<K extends TopicName> {
  readonly #definition: AgentDefinition<K>;
  readonly #deps: AgentDeps;
  readonly #clock: () => number;
  readonly #producer: EventProducer;
  readonly #progress: ProgressReporter;
  readonly #claims: ClaimsClient | undefined;
  readonly #processor: ConcurrentProcessor<K>;
  readonly #guard: StalenessGuard<InputRecord<K>>;
  readonly #metrics: AgentMetrics;
  #joined = false;
  #connected = false;
  readonly #tracedModel: ModelProvider;
  readonly #budget: ModelBudget | undefined;
  readonly #recorded: RecordedCalls | undefined;

  constructor(definition: AgentDefinition<K>, deps: AgentDeps) {
    this.#definition = definition;
    this.#deps = deps;
    this.#clock = deps.clock ?? Date.now;
    this.#producer = new EventProducer({
      kafka: deps.kafka,
      registry: deps.registry,
      agent: definition.name,
    });
    this.#metrics = new AgentMetrics(deps.metrics, definition.name, () => this.inFlight);
    this.#progress = new ProgressReporter({
      producer: this.#producer,
      agent: definition.name,
      instance: deps.instance,
      clock: this.#clock,
      onReported: (atMs) => this.#metrics.progressReported(atMs),
    });
    this.#claims = deps.claims
      ? new ClaimsClient({
          kafka: deps.kafka,
          connection: deps.connection,
          registry: deps.registry,
          agent: definition.name,
          producer: this.#producer,
          ...(deps.leaseMs !== undefined && { leaseMs: deps.leaseMs }),
          clock: this.#clock,
          onRenewalFailed: (workKey, error) =>
            deps.logger.warn('claim not renewed', { work_key: workKey, error: error.message }),
        })
      : undefined;
    this.#guard = new StalenessGuard(definition.maxEventAgeMs, definition.stalePolicy);
    this.#recorded = deps.replay ? new RecordedCalls() : undefined;
    this.#tracedModel = tracedModel(
      this.#recorded
        ? replayingModel(deps.model, definition.name, this.#recorded, deps.bodies)
        : deps.model,
    );
    this.#processor = new ConcurrentProcessor({
      kafka: deps.kafka,
      registry: deps.registry,
      agent: definition.name,
      groupId: deps.groupId,
      transactionalId: deps.transactionalId,
      topics: definition.consumes,
      concurrency: deps.concurrency,
      ...(deps.drainTimeoutMs !== undefined && { drainTimeoutMs: deps.drainTimeoutMs }),
      logger: deps.logger,
      clock: this.#clock,
      onAssign: () => {
        this.#joined = true;
      },
      ...(deps.onRefused && { onRefused: deps.onRefused }),
      transform: (record, outbox) => this.#handle(record, outbox),
    });
    const window = deps.budget && new SpendWindow(deps.budget);
    if (deps.budget && window?.limited) {
      this.#metrics.budgetLimits(deps.budget);
      this.#budget = new ModelBudget({
        agent: definition.name,
        window,
        windowMs: deps.budget.windowMs,
        connection: deps.connection,
        registry: deps.registry,
        logger: deps.logger,
        metrics: this.#metrics,
        clock: this.#clock,
        pause: () => this.#processor.pause(),
        resume: () => {
          this.#processor.resume().catch((error: unknown) =>
            deps.logger.warn('intake not resumed after the budget pause', {
              error: (error as Error).message,
            }),
          );
        },
      });
    }
  }

  /** Whether the instance takes no work because its model budget is spent. */
  get budgetPaused(): boolean {
    return this.#budget?.paused ?? false;
  }

  /** Readiness checks: Kafka clients connected, consumer group joined. */
  readiness(): Record<string, () => boolean | string> {
    return {
      kafka: () => this.#connected || 'connecting',
      'consumer group': () => this.#joined || 'not joined',
    };
  }

  get claims(): ClaimsClient | undefined {
    return this.#claims;
  }

  async start(): Promise<void> {
    await this.#producer.connect();
    await this.#claims?.start();
    this.#connected = true;
    this.#progress.startHeartbeat(this.#deps.heartbeatIntervalMs ?? 5000, (error) =>
      this.#deps.logger.warn('heartbeat not published', { error: (error as Error).message }),
    );
    await this.#progress.heartbeat();
    await this.#budget?.start();
    if (this.#recorded) {
      await loadRecordedCalls(this.#deps.connection, this.#deps.registry, this.#recorded);
      this.#deps.logger.info('shadow replay: model calls answered from recordings', {
        recordings: this.#recorded.size,
      });
    }
    await this.#processor.start();
  }

  async stop(): Promise<void> {
    this.#progress.stopHeartbeat();
    await this.#processor.stop();
    await this.#budget?.stop();
    await this.#claims?.stop();
    await this.#producer.disconnect();
    this.#connected = false;
  }

  /** Events taken and not finished. */
  get inFlight(): number {
    return this.#processor.inFlight;
  }

  async #handle(record: InputRecord<K>, outbox: Outbox): Promise<void> {
    const piece = {};
    try {
      await this.#handleEvent(record, outbox, piece);
    } finally {
      await this.#progress.finish(piece).catch(() => undefined);
    }
  }

  async #handleEvent(record: InputRecord<K>, outbox: Outbox, piece: object): Promise<void> {
    const started = performance.now();
    const logger = this.#deps.logger.child({
      workflow_id: record.context.workflowId,
      ...traceFields(record.context.traceparent),
    });
    this.#definition.observe?.(record);
    const verdict = await this.#guard.judge(record, this.#clock());
    let result: Omit<HandlerOutcome, 'outcome'> & { outcome: ActivityRecord['outcome'] };
    if (verdict.stale) {
      logger.warn(`Stale event not acted on: ${verdict.reason}`, {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
      });
      result = { outcome: 'stale', reason: verdict.reason };
    } else {
      result = await this.#withClaims((claims) =>
        this.#definition.handle(this.#work(record, outbox, logger, piece, claims)),
      );
      if (result.outcome === 'processed')
        logger.info('event processed', { topic: record.topic, work_key: result.workKey });
    }
    const eventType = record.headers['event-type'] ?? '';
    outbox.send(
      'agent-activity',
      record.context.workflowId,
      {
        agent: this.#definition.name,
        workflow_id: record.context.workflowId,
        outcome: result.outcome,
        reason: result.reason ?? '',
        event_type: eventType,
        work_key: result.workKey ?? null,
        source_topic: record.topic,
        source_partition: record.partition,
        source_offset: record.offset,
        source_timestamp: record.timestamp,
        lag_ms: verdict.ageMs,
        recorded_at: this.#clock(),
      },
      record.context,
    );
    this.#metrics.handled(record.topic, result.outcome, (performance.now() - started) / 1000);
  }

  /** The claims this work holds stop being renewed when it ends, however it ends. */
  async #withClaims<T>(run: (held: Set<string>) => Promise<T>): Promise<T> {
    const held = new Set<string>();
    try {
      return await run(held);
    } finally {
      for (const workKey of held) this.#claims?.release(workKey);
    }
  }

  #work(
    record: InputRecord<K>,
    outbox: Outbox,
    logger: ServiceLogger,
    piece: object,
    heldKeys: Set<string>,
  ): Work<K> {
    let held: { workKey: string; epoch: number } | undefined;
    const claims = (): ClaimsClient => {
      if (!this.#claims) throw new Error(`${this.#definition.name} does not take part in claims`);
      return this.#claims;
    };
    const model = withPromptNote(
      this.#deps.promptNote,
      ledgeredModel(this.#tracedModel, {
        agent: this.#definition.name,
        instance: this.#deps.instance,
        source: record,
        context: record.context,
        workKey: () => held?.workKey ?? null,
        outbox,
        bodies: this.#deps.bodies,
        prices: this.#deps.prices,
        clock: this.#clock,
        onCall: (call) => {
          this.#metrics.modelCall(call);
          this.#budget?.record(call);
        },
      }),
    );
    return {
      record,
      outbox,
      logger,
      model,
      bodies: this.#deps.bodies,
      clock: this.#clock,
      progress: (step, totalSteps, status) =>
        this.#progress.step(piece, {
          context: record.context,
          workKey: held?.workKey ?? null,
          step,
          totalSteps,
          status,
        }),
      claim: async (workKey, { format, subject }) => {
        const outcome = await claims().acquire(workKey, {
          context: record.context,
          format,
          ...(subject !== undefined && { subject }),
        });
        if (outcome.granted) {
          held = { workKey, epoch: outcome.epoch };
          claims().hold(workKey, outcome.epoch, record.context);
          heldKeys.add(workKey);
        }
        return outcome;
      },
      completeClaim: () => {
        if (!held) throw new Error('completeClaim() without a granted claim');
        return claims().complete(held.workKey, held.epoch, { context: record.context });
      },
    };
  }
}
