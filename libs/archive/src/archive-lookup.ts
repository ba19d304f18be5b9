import type { BlobStore } from '@paxfleet/events';
import { decodeArchiveObject, type ArchivedRecord } from './archive-object.ts';
import {
  objectPrefix,
  parseWorkflowIndexEntry,
  WORKFLOW_HEADER,
  workflowPrefix,
} from './workflow-index.ts';

export interface ArchiveLookup {
  /** The workflow's records, once each, in (topic, partition, offset) order. */
  readonly records: readonly ArchivedRecord[];
  /** Archive objects read: bounded by how many objects hold the workflow, not by the archive's size. */
  readonly objectsRead: number;
  /** Index entries listed. */
  readonly indexEntries: number;
}

/**
 * One workflow's records from the archive: its index entries on each topic name the
 * objects that hold them, and only those objects are read.
 */
export async function lookUpWorkflow(
  store: BlobStore,
  topics: readonly string[],
  workflow: string,
): Promise<ArchiveLookup> {
  const found = new Map<string, ArchivedRecord>();
  let objectsRead = 0;
  let indexEntries = 0;
  for (const topic of topics) {
    for await (const entry of store.list(workflowPrefix(topic, workflow))) {
      const named = parseWorkflowIndexEntry(entry.key);
      if (!named) continue;
      indexEntries += 1;
      for await (const object of store.list(
        objectPrefix(topic, named.partition, named.firstOffset),
      )) {
        objectsRead += 1;
        for (const record of await decodeArchiveObject(await store.get(store.refOf(object.key)))) {
          const header = record.headers.find(({ key }) => key === WORKFLOW_HEADER)?.value;
          // An object written twice by a paused archiver holds an offset twice: once here.
          if (header?.toString('utf8') === workflow)
            found.set(`${record.topic}\u0000${record.partition}\u0000${record.offset}`, record);
        }
      }
    }
  }
  const records = [...found.values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
  );
  return { records, objectsRead, indexEntries };
}
