// What the fleet benchmarks share: their settings, submitting research requests to the
// coordinator and watching content-results for the workflows they started.
import { ConfigError, loadConfig, type ConfigFragment } from '@paxfleet/core';
import { eventRegistry, TopicReader } from '@paxfleet/events';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';

/** A benchmark's settings from the environment; a bad value stops it naming every bad one. */
export function benchSettings<C>(fragment: ConfigFragment<C>): Readonly<C> {
  try {
    return loadConfig(fragment, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

/** Submits one research request, honouring 429 and Retry-After; resolves with when it was accepted. */
export async function submit(coordinator: string, topic: string, by: string): Promise<number> {
  for (;;) {
    const response = await fetch(`${coordinator}/research`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic, brief: by, requested_by: by }),
    }).catch(() => undefined);
    if (response?.status === 202) {
      await response.body?.cancel();
      return Date.now();
    }
    const retryAfter = Number(response?.headers.get('retry-after') ?? 1);
    await response?.body?.cancel();
    if (response && response.status !== 429 && response.status < 500) {
      throw new Error(`POST /research ${topic}: ${response.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, retryAfter) * 1000));
  }
}

/** Submits every topic, `parallel` requests at a time; each topic's acceptance time. */
export async function submitAll(
  coordinator: string,
  topics: readonly string[],
  by: string,
  parallel = 16,
): Promise<Map<string, number>> {
  const submitted = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < topics.length) {
        const topic = topics[next++] as string;
        submitted.set(topic, await submit(coordinator, topic, by));
      }
    }),
  );
  return submitted;
}

/** The content results of the given topics as they arrive: topic -> every result's timestamp. */
export class ResultWatch {
  readonly results = new Map<string, number[]>();
  readonly #wanted: ReadonlySet<string>;
  readonly #reader: TopicReader;

  constructor(topics: readonly string[], clientId: string) {
    this.#wanted = new Set(topics);
    this.#reader = new TopicReader(kafkaConnectionFromEnv(process.env, clientId), eventRegistry(), {
      clientId,
    });
  }

  /** Follows content-results from its end: start before submitting. */
  async start(): Promise<void> {
    await this.#reader.connect();
    await this.#reader.follow<'content-results'>(
      await this.#reader.everyPartition('content-results', 'end'),
      (record) => {
        const { topic } = record.value;
        if (this.#wanted.has(topic)) {
          this.results.set(topic, [...(this.results.get(topic) ?? []), record.timestamp]);
        }
      },
    );
  }

  /** Resolves when every topic has a result or the deadline passed; `tick` runs meanwhile. */
  async waitForAll(deadlineMs: number, tick: () => void = () => {}): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.results.size < this.#wanted.size && Date.now() < deadline) {
      tick();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** How many topics have exactly one result. */
  exactlyOnce(): number {
    return [...this.#wanted].filter((topic) => this.results.get(topic)?.length === 1).length;
  }

  async close(): Promise<void> {
    await this.#reader.close();
  }
}
