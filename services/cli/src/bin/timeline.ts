// paxfleet timeline <workflow-id>: replays one workflow from the cold archive and every
// topic on the broker, in time order, each record saying where it came from. The archive
// is the object store of BLOB_STORE (s3, or file with BLOB_DIR), or the ARCHIVE_DIR
// directory when BLOB_STORE is none and that directory exists.
import { existsSync } from 'node:fs';
import { blobConfig, blobStoreFromConfig } from '@paxfleet/agent-kit';
import { archiveDirConfig, archiveStore } from '@paxfleet/archive';
import { composeConfig, loadConfig } from '@paxfleet/core';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { eventRegistry } from '@paxfleet/events';
import { formatCost, formatTimeline, workflowCost, workflowHistory } from '@paxfleet/timeline';

const workflowId = process.argv[2];
if (!workflowId || !/^[\w-]+$/.test(workflowId)) {
  console.error('usage: timeline <workflow-id>   (for example workflow_7k2p9x0q)');
  process.exit(2);
}
const config = loadConfig(composeConfig('timeline', blobConfig, archiveDirConfig), process.env);
const configured = blobStoreFromConfig(config);
const store =
  configured || existsSync(config.ARCHIVE_DIR)
    ? archiveStore(configured, config.ARCHIVE_DIR)
    : undefined;
const registry = eventRegistry();
const history = await workflowHistory(
  kafkaConnectionFromEnv(process.env, 'paxfleet-timeline'),
  registry,
  workflowId,
  store && { store, topics: registry.catalog.agent('archiver').consumes },
);
store?.close();
console.log(
  history.entries.length > 0
    ? formatTimeline(history.entries)
    : `no records carry workflow-id ${workflowId}`,
);
if (history.entries.length > 0) console.log(formatCost(workflowCost(history.entries)));
if (history.archive) {
  console.log(
    `archive: ${history.archive.records} records from ${history.archive.objectsRead} objects (${history.archive.indexEntries} index entries) at ${store?.location ?? ''}`,
  );
}
