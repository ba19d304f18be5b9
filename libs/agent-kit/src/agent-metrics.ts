import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Events an agent handled, by outcome, how long the handling took, and when it last reported progress. */
export class AgentMetrics {
  readonly #events: Counter<'agent' | 'topic' | 'outcome'>;
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
}
