import type { ServerResponse } from 'node:http';
import type { FleetState } from './fleet-state.ts';
import type { Html } from './html.ts';

export interface LiveHubOptions {
  /** Fewest milliseconds between two renders for one page (a burst of records is one update). */
  readonly minIntervalMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly keepAliveMs?: number;
  /** A page whose unsent output grows past this is disconnected (its EventSource reconnects). */
  readonly maxBufferedBytes?: number;
  readonly onError?: (error: unknown) => void;
}

interface Client {
  readonly response: ServerResponse;
  readonly regions: () => ReadonlyMap<string, Html>;
  readonly sent: Map<string, string>;
  timer: NodeJS.Timeout | undefined;
  lastRender: number;
}

/**
 * Server-Sent Events for the open pages: each page's regions are rendered again after a
 * change of the state (at most every minIntervalMs) and the regions whose markup changed
 * are sent as `event: region` with `{ id, html }`. The browser never polls: it holds one
 * EventSource, which reconnects by itself.
 */
export class LiveHub {
  readonly #clients = new Set<Client>();
  readonly #minIntervalMs: number;
  readonly #maxBufferedBytes: number;
  readonly #onError: (error: unknown) => void;
  readonly #keepAlive: NodeJS.Timeout;
  readonly #unsubscribe: () => void;

  constructor(state: FleetState, options: LiveHubOptions = {}) {
    this.#minIntervalMs = options.minIntervalMs ?? 100;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.#onError = options.onError ?? (() => {});
    this.#unsubscribe = state.onChange(() => {
      for (const client of this.#clients) this.#schedule(client);
    });
    this.#keepAlive = setInterval(() => {
      for (const client of this.#clients) this.#write(client, ': keep-alive\n\n');
    }, options.keepAliveMs ?? 15_000);
    this.#keepAlive.unref();
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Streams a page's regions to the response (already answered 200 text/event-stream by the caller). */
  subscribe(response: ServerResponse, regions: () => ReadonlyMap<string, Html>): void {
    const client: Client = { response, regions, sent: new Map(), timer: undefined, lastRender: 0 };
    this.#clients.add(client);
    response.once('close', () => this.#drop(client));
    // Reconnect after 2 s; then everything is sent once, so nothing between the page's own
    // render and this stream is missed.
    this.#write(client, 'retry: 2000\n\n');
    this.#render(client);
  }

  /** Ends every stream (shutdown). */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#keepAlive);
    for (const client of this.#clients) {
      this.#drop(client);
      client.response.end();
    }
  }

  #schedule(client: Client): void {
    if (client.timer) return;
    const wait = Math.max(0, client.lastRender + this.#minIntervalMs - Date.now());
    client.timer = setTimeout(() => {
      client.timer = undefined;
      this.#render(client);
    }, wait);
  }

  #render(client: Client): void {
    if (!this.#clients.has(client)) return;
    client.lastRender = Date.now();
    let regions: ReadonlyMap<string, Html>;
    try {
      regions = client.regions();
    } catch (error) {
      this.#onError(error);
      return;
    }
    for (const [id, markup] of regions) {
      const text = markup.text;
      if (client.sent.get(id) === text) continue;
      client.sent.set(id, text);
      this.#write(client, `event: region\ndata: ${JSON.stringify({ id, html: text })}\n\n`);
    }
  }

  #write(client: Client, text: string): void {
    if (!this.#clients.has(client)) return;
    if (client.response.writableLength > this.#maxBufferedBytes) {
      this.#drop(client);
      client.response.destroy();
      return;
    }
    client.response.write(text);
  }

  #drop(client: Client): void {
    clearTimeout(client.timer);
    this.#clients.delete(client);
  }
}
