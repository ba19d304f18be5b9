import type { TopicCatalog } from '../catalog.ts';
import type { BlobStore } from './blob-store.ts';

/** How long the blobs under one key prefix are kept: as long as the records that reference them. */
export interface BlobRetention {
  readonly prefix: string;
  /** The topic whose records reference these blobs. */
  readonly topic: string;
  /** -1 keeps them forever. */
  readonly retentionMs: number;
}

/** Where the cold archive keeps its objects in the object store (see @paxfleet/archive). */
export const ARCHIVE_PREFIX = 'archive/';

/**
 * From the catalog: each topic that references blobs (its `blobPrefix`) keeps them for
 * the longest time any tier still serves its records (the broker, or the cold archive),
 * and each topic with an archive tier keeps its archive objects for that tier.
 */
export function blobRetentions(catalog: TopicCatalog): BlobRetention[] {
  const bodies = catalog.topics.flatMap((topic) => {
    if (!topic.blobPrefix) return [];
    const tiers = [topic.retentionMs, topic.tiers?.archiveMs ?? 0];
    const retentionMs = tiers.includes(-1) ? -1 : Math.max(...tiers);
    return [{ prefix: topic.blobPrefix, topic: topic.name, retentionMs }];
  });
  // The cold archive's objects (and their workflow index) for as long as tiers.archive says.
  const archive = catalog.topics.flatMap((topic) =>
    topic.tiers
      ? [
          {
            prefix: `${ARCHIVE_PREFIX}${topic.name}/`,
            topic: topic.name,
            retentionMs: topic.tiers.archiveMs,
          },
        ]
      : [],
  );
  return [...bodies, ...archive];
}

export interface SweepReport {
  readonly prefix: string;
  readonly kept: number;
  readonly deleted: number;
}

/** Deletes the blobs older than their retention; blobs kept forever are not even listed. */
export async function sweepBlobs(
  store: BlobStore,
  retentions: readonly BlobRetention[],
  now: number,
): Promise<SweepReport[]> {
  const reports: SweepReport[] = [];
  for (const { prefix, retentionMs } of retentions) {
    if (retentionMs < 0) {
      reports.push({ prefix, kept: 0, deleted: 0 });
      continue;
    }
    const expired: string[] = [];
    let kept = 0;
    for await (const blob of store.list(prefix)) {
      if (now - blob.writtenAt > retentionMs) expired.push(blob.key);
      else kept += 1;
    }
    await store.delete(expired);
    reports.push({ prefix, kept, deleted: expired.length });
  }
  return reports;
}
