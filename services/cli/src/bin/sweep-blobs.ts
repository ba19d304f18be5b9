// make blobs-sweep: deletes the blobs older than the records that reference them,
// by the retention the topic catalog gives their prefix (blobPrefix). Configured
// like the agents: BLOB_STORE, BLOB_DIR or BLOB_S3_* and the AWS credentials.
// For object stores without lifecycle rules; on S3, the chart's rule does the same.
import { blobConfig, blobStoreFromConfig } from '@paxfleet/agent-kit';
import { loadConfig } from '@paxfleet/core';
import { blobRetentions, eventRegistry, sweepBlobs } from '@paxfleet/events';

const store = blobStoreFromConfig(loadConfig(blobConfig, process.env));
if (!store) {
  console.error('BLOB_STORE is none: bodies ride inline, there are no blobs to sweep');
  process.exit(2);
}
try {
  await store.check();
  for (const report of await sweepBlobs(
    store,
    blobRetentions(eventRegistry().catalog),
    Date.now(),
  )) {
    console.log(
      `sweep ${store.location}${report.prefix}: ${report.deleted} deleted, ${report.kept} kept`,
    );
  }
} finally {
  store.close();
}
