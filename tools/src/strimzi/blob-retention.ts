import { blobRetentions, type TopicCatalog } from '@paxfleet/events';

const DAY_MS = 86_400_000;

export interface BlobExpiry {
  readonly prefix: string;
  readonly topic: string;
  /** Whole days, rounded up: an S3 lifecycle rule's Expiration.Days. */
  readonly days: number;
}

/**
 * The days the chart's S3 lifecycle rule keeps the blobs under each blobPrefix: as long
 * as any tier serves the records that reference them (blobRetentions, as the sweep
 * uses it); blobs kept forever get no rule.
 */
export function blobExpiries(catalog: TopicCatalog): { retentions: BlobExpiry[] } {
  return {
    retentions: blobRetentions(catalog)
      .filter((retention) => retention.retentionMs >= 0)
      .map(({ prefix, topic, retentionMs }) => ({
        prefix,
        topic,
        days: Math.ceil(retentionMs / DAY_MS),
      })),
  };
}
