import type { ArchivedRecord, ArchiveObjectRange } from './archive-object.ts';
import { ARCHIVE_PREFIX } from '@paxfleet/events';
import { partitionPrefix } from './archive-keys.ts';

/** The header that names a record's workflow (as the fleet's producers write it). */
export const WORKFLOW_HEADER = 'workflow-id';

const OFFSET_DIGITS = 20;
const pad = (offset: number) => String(offset).padStart(OFFSET_DIGITS, '0');
const workflowId = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Where the index entries of one workflow on one topic are listed. */
export function workflowPrefix(topic: string, workflow: string): string {
  return `${ARCHIVE_PREFIX}${topic}/workflows/${workflow}/`;
}

/**
 * One index entry per workflow an object holds records of, named by the object's partition
 * and first offset: archive/<topic>/workflows/<workflow>/<partition>-<first offset>.json,
 * holding the workflow's offsets in it. The archiver writes them before the object, so a
 * crash can leave an entry for an object not written yet (the rewrite starts at the same
 * first offset), never an object without its entries.
 */
export function workflowIndexEntries(
  range: ArchiveObjectRange,
  records: readonly ArchivedRecord[],
): { key: string; body: string }[] {
  const offsets = new Map<string, number[]>();
  for (const record of records) {
    const header = record.headers.find(({ key }) => key === WORKFLOW_HEADER)?.value;
    const workflow = header?.toString('utf8');
    if (!workflow || !workflowId.test(workflow)) continue;
    offsets.set(workflow, [...(offsets.get(workflow) ?? []), record.offset]);
  }
  return [...offsets].map(([workflow, list]) => ({
    key: `${workflowPrefix(range.topic, workflow)}${range.partition}-${pad(range.firstOffset)}.json`,
    body: `${JSON.stringify({ offsets: list })}\n`,
  }));
}

const entryKey = /\/(\d+)-(\d{20})\.json$/;

/** The partition and first offset an index entry names, or undefined for another key. */
export function parseWorkflowIndexEntry(
  key: string,
): { partition: number; firstOffset: number } | undefined {
  const match = entryKey.exec(key);
  return match ? { partition: Number(match[1]), firstOffset: Number(match[2]) } : undefined;
}

/** The key prefix of the object of a partition that starts at `firstOffset`. */
export function objectPrefix(topic: string, partition: number, firstOffset: number): string {
  return `${partitionPrefix(topic, partition)}${pad(firstOffset)}-`;
}
