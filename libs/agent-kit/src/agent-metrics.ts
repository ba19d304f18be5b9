import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BudgetLimits, Spend } from './budget.ts';
import type { ModelCallRecord } from './model-ledger.ts';

/**
 * Events an agent handled, by outcome, how long the handling took, when it last reported
 * progress, and its model calls: tokens, cost, latency and the budget.
 */
export class AgentMetrics {
  readonly #events: Counter<'agent' | 'topic' | 'outcome'>;
  readonly #modelCalls: Counter<'agent' | 'model' | 'outcome'>;
  readonly #modelTokens: Counter<'agent' | 'model' | 'kind'>;
  readonly #modelCost: Counter<'agent' | 'model'>;
  readonly #modelSeconds: Histogram<'agent' | 'model'>;
  readonly #budgetSpent: Gauge<'agent' | 'unit'>;
  readonly #budgetLimit: Gauge<'agent' | 'unit'>;
  readonly #budgetPaused: Gauge<'agent'>;
  readonly #progressReported: Gauge<'agent'>;
  readonly #stale: Counter<'agent' | 'topic'>;
  readonly #duration: Histogram<'agent' | 'outcome'>;
  readonly #agent: string;

  /** `inFlight` is read at each scrape: events taken and not finished. */
  constructor(registry: Registry, agent: string, inFlight: () => number = () => 0) {
    this.#agent = agent;
    this.#events = new Counter({
      name: 'paxfleet_agent_events_total',
      help: 'Events an agent handled, by outcome: processed, skipped, stale, failed',
      labelNames: ['agent', 'topic', 'outcome'],
      registers: [registry],
    });
    this.#stale = new Counter({
      name: 'paxfleet_agent_stale_events_total',
      help: 'Events older than the agent’s maximum event age, not acted on blindly',
      labelNames: ['agent', 'topic'],
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'paxfleet_agent_handle_seconds',
      help: 'Time from picking an event up to having its outputs ready',
      labelNames: ['agent', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    });
    new Gauge({
      name: 'paxfleet_agent_events_in_flight',
      help: 'Events the instance has taken and not finished (running or waiting behind their key)',
      labelNames: ['agent'],
      registers: [registry],
      collect() {
        this.set({ agent }, inFlight());
      },
    });
    this.#modelCalls = new Counter({
      name: 'paxfleet_model_calls_total',
      help: 'Model calls recorded in the ledger, by outcome: ok, failed, replayed',
      labelNames: ['agent', 'model', 'outcome'],
      registers: [registry],
    });
    this.#modelTokens = new Counter({
      name: 'paxfleet_model_tokens_total',
      help: 'Tokens of model calls, by kind: prompt or completion',
      labelNames: ['agent', 'model', 'kind'],
      registers: [registry],
    });
    this.#modelCost = new Counter({
      name: 'paxfleet_model_cost_usd_total',
      help: 'What model calls cost by the price table (MODEL_PRICES), in US dollars',
      labelNames: ['agent', 'model'],
      registers: [registry],
    });
    this.#modelSeconds = new Histogram({
      name: 'paxfleet_model_call_seconds',
      help: 'How long a model call took, retries and rate limiting included',
      labelNames: ['agent', 'model'],
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    });
    this.#budgetSpent = new Gauge({
      name: 'paxfleet_agent_budget_spent',
      help: 'Model spend of the agent in the budget window, by unit: tokens or usd',
      labelNames: ['agent', 'unit'],
      registers: [registry],
    });
    this.#budgetLimit = new Gauge({
      name: 'paxfleet_agent_budget_limit',
      help: 'The agent’s model budget per window (AGENT_BUDGET_*), by unit: tokens or usd',
      labelNames: ['agent', 'unit'],
      registers: [registry],
    });
    this.#budgetPaused = new Gauge({
      name: 'paxfleet_agent_budget_paused',
      help: '1 while the instance takes no work because its model budget is spent',
      labelNames: ['agent'],
      registers: [registry],
    });
    this.#budgetPaused.set({ agent }, 0);
    this.#progressReported = new Gauge({
      name: 'paxfleet_agent_progress_reported_timestamp_seconds',
      help: 'When the agent last had a progress record or heartbeat accepted by Kafka (Unix seconds)',
      labelNames: ['agent'],
      registers: [registry],
    });
  }

  /** A progress record or heartbeat reached agent-progress at this time (ms). */
  progressReported(atMs: number): void {
    this.#progressReported.set({ agent: this.#agent }, atMs / 1000);
  }

  handled(topic: string, outcome: string, seconds: number): void {
    this.#events.inc({ agent: this.#agent, topic, outcome });
    this.#duration.observe({ agent: this.#agent, outcome }, seconds);
    if (outcome === 'stale') this.#stale.inc({ agent: this.#agent, topic });
  }

  modelCall(call: ModelCallRecord): void {
    const labels = { agent: this.#agent, model: call.model || call.provider };
    this.#modelCalls.inc({ ...labels, outcome: call.outcome });
    this.#modelTokens.inc({ ...labels, kind: 'prompt' }, call.prompt_tokens);
    this.#modelTokens.inc({ ...labels, kind: 'completion' }, call.completion_tokens);
    if (call.outcome !== 'replayed') this.#modelCost.inc(labels, call.cost_usd);
    this.#modelSeconds.observe(labels, call.latency_ms / 1000);
  }

  budgetLimits(limits: BudgetLimits): void {
    if (limits.tokens !== undefined)
      this.#budgetLimit.set({ agent: this.#agent, unit: 'tokens' }, limits.tokens);
    if (limits.usd !== undefined)
      this.#budgetLimit.set({ agent: this.#agent, unit: 'usd' }, limits.usd);
  }

  budgetSpent(spent: Spend): void {
    this.#budgetSpent.set({ agent: this.#agent, unit: 'tokens' }, spent.tokens);
    this.#budgetSpent.set({ agent: this.#agent, unit: 'usd' }, spent.usd);
  }

  budgetPaused(paused: boolean): void {
    this.#budgetPaused.set({ agent: this.#agent }, paused ? 1 : 0);
  }
}
