/**
 * How many events an instance has taken and not finished. `admit` waits while the
 * window is full: the processor stops taking records (so stops fetching) until work
 * finishes and `release` makes room.
 */
export class WorkWindow {
  readonly capacity: number;
  #size = 0;
  readonly #waiting: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  get full(): boolean {
    return this.#size >= this.capacity;
  }

  /** Resolves true once there is room (and takes it), or false when the signal aborts first. */
  admit(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (!this.full && this.#waiting.length === 0) {
      this.#size += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.#waiting.indexOf(take);
        if (index >= 0) this.#waiting.splice(index, 1);
        resolve(false);
      };
      const take = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#size += 1;
        resolve(true);
      };
      this.#waiting.push(take);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.#size -= 1;
    const next = this.#waiting.shift();
    if (next) next();
    else if (this.#size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves when nothing is in the window. */
  idle(): Promise<void> {
    if (this.#size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}

/**
 * Runs tasks one after another per key and concurrently across keys: records with the
 * same key are handled in log order (claims renew and complete per key; "is this the
 * newest event for the key" depends on it).
 */
export class KeySequencer {
  readonly #tails = new Map<string, Promise<void>>();

  run(key: string | null, task: () => Promise<void>): Promise<void> {
    if (key === null) return task();
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }

  /** Keys with work running or waiting. */
  get keys(): number {
    return this.#tails.size;
  }
}
