import { IsolationLevel, type Admin } from '@paxfleet/kafka';

/** Messages a consumer group has yet to read on a topic, asked of the cluster at most once per `cacheMs`. */
export class ConsumerLagProbe {
  readonly #admin: Admin;
  readonly #cacheMs: number;
  readonly #clock: () => number;
  readonly #cache = new Map<string, { at: number; lag: number }>();

  constructor(admin: Admin, options: { cacheMs?: number; clock?: () => number } = {}) {
    this.#admin = admin;
    this.#cacheMs = options.cacheMs ?? 1000;
    this.#clock = options.clock ?? Date.now;
  }

  async lag(groupId: string, topic: string): Promise<number> {
    const key = `${groupId}\u0000${topic}`;
    const cached = this.#cache.get(key);
    if (cached && this.#clock() - cached.at < this.#cacheMs) return cached.lag;
    const [ends, committed] = await Promise.all([
      this.#admin.fetchTopicOffsets(topic, { isolationLevel: IsolationLevel.READ_COMMITTED }),
      this.#admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const positions = new Map(
      (committed[0]?.partitions ?? []).map(
        (entry) => [entry.partition, Number(entry.offset)] as const,
      ),
    );
    let lag = 0;
    for (const end of ends) {
      const position = positions.get(end.partition) ?? -1;
      // A group that never committed starts from the earliest offset.
      const from = position >= 0 ? position : Number(end.low);
      lag += Math.max(0, Number(end.high) - from);
    }
    this.#cache.set(key, { at: this.#clock(), lag });
    return lag;
  }
}
