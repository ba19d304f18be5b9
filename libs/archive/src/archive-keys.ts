import { ARCHIVE_PREFIX } from '@paxfleet/events';
import type { ArchiveObjectRange } from './archive-object.ts';

const OFFSET_DIGITS = 20;
const pad = (offset: number) => String(offset).padStart(OFFSET_DIGITS, '0');

/** The objects of one partition, in offset order when listed (the offsets are zero-padded). */
export function partitionPrefix(topic: string, partition: number): string {
  return `${ARCHIVE_PREFIX}${topic}/${partition}/`;
}

/** archive/<topic>/<partition>/<first offset>-<last offset>.avro, offsets zero-padded to 20 digits. */
export function archiveObjectKey(range: ArchiveObjectRange): string {
  return `${partitionPrefix(range.topic, range.partition)}${pad(range.firstOffset)}-${pad(range.lastOffset)}.avro`;
}

const objectKey = /^archive\/([a-z0-9][a-z0-9._-]*)\/(\d+)\/(\d{20})-(\d{20})\.avro$/;

/** The range an archive object's key names, or undefined for any other key. */
export function parseArchiveObjectKey(key: string): ArchiveObjectRange | undefined {
  const match = objectKey.exec(key);
  if (!match) return undefined;
  const [, topic, partition, first, last] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    topic,
    partition: Number(partition),
    firstOffset: Number(first),
    lastOffset: Number(last),
  };
}
