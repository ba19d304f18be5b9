import { Counter, Histogram, type Registry } from 'prom-client';

/** Events an agent handled, by outcome, and how long the handling took. */
export class AgentMetrics {
  readonly #events: Counter<'agent' | 'topic' | 'outcome'>;
  readonly #stale: Counter<'agent' | 'topic'>;
  readonly #duration: Histogram<'agent' | 'outcome'>;
  readonly #agent: string;

  constructor(registry: Registry, agent: string) {
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
  }

  handled(topic: string, outcome: string, seconds: number): void {
    this.#events.inc({ agent: this.#agent, topic, outcome });
    this.#duration.observe({ agent: this.#agent, outcome }, seconds);
    if (outcome === 'stale') this.#stale.inc({ agent: this.#agent, topic });
  }
}
