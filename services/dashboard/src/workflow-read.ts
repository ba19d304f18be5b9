import type { KafkaConnection } from '@paxfleet/kafka';
import type { BlobStore, Bodies, EventRegistry, TopicValues } from '@paxfleet/events';
import { workflowHistory } from '@paxfleet/timeline';
import type { WorkflowRead } from './workflow-view.ts';

export interface WorkflowReaderOptions {
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly bodies: Bodies;
  readonly archive?: { readonly store: BlobStore; readonly topics: readonly string[] };
  /** When the workflow began, if the dashboard saw it: the broker is read from then. */
  readonly began: (id: string) => number | undefined;
  /** How long a read is reused (the page adds what it sees live on top). */
  readonly cacheMs?: number;
  /** Reads at once; more wait. */
  readonly concurrency?: number;
}

const BODY_LIMIT = 256 * 1024;

/**
 * Reads one workflow's history as the timeline command does (broker and archive, in time
 * order) and the bodies its results reference; each read is reused for a few seconds, and
 * at most a few run at once, since each scans the topics.
 */
export function workflowReader(
  options: WorkflowReaderOptions,
): (id: string) => Promise<WorkflowRead> {
  const cacheMs = options.cacheMs ?? 15_000;
  const cache = new Map<string, { at: number; read: Promise<WorkflowRead> }>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (running >= (options.concurrency ?? 2))
      await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
  };
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };

  const read = async (id: string): Promise<WorkflowRead> => {
    await slot();
    try {
      const began = options.began(id);
      const history = await workflowHistory(
        options.connection,
        options.registry,
        id,
        options.archive,
        began === undefined ? {} : { began },
      );
      const bodies = new Map<string, { text: string } | { error: string }>();
      for (const entry of history.entries) {
        if (entry.topic !== 'content-results') continue;
        const result = entry.value as TopicValues['content-results'];
        if (!result.result_id || result.body !== null || !result.body_ref) continue;
        try {
          const text = await options.bodies.get({ body: null, ref: result.body_ref });
          bodies.set(result.result_id, {
            text:
              text.length > BODY_LIMIT
                ? `${text.slice(0, BODY_LIMIT)}\n… (${text.length - BODY_LIMIT} more characters)`
                : text,
          });
        } catch (error) {
          bodies.set(result.result_id, { error: (error as Error).message });
        }
      }
      return {
        entries: history.entries,
        ...(history.archive && {
          archive: { records: history.archive.records, objectsRead: history.archive.objectsRead },
        }),
        bodies,
      };
    } finally {
      release();
    }
  };

  return (id) => {
    const now = Date.now();
    for (const [key, entry] of cache) if (now - entry.at > cacheMs) cache.delete(key);
    const cached = cache.get(id);
    if (cached) return cached.read;
    const fresh = read(id);
    cache.set(id, { at: now, read: fresh });
    fresh.catch(() => cache.delete(id));
    return fresh;
  };
}
