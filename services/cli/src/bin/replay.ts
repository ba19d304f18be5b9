// paxfleet replay <workflow-id> [--live] [--set agent.VARIABLE=value ...]: re-runs one past
// workflow through the real agents in a shadow Kafka namespace (created and removed here),
// model calls answered from the ledger's recordings (or by the model with --live), and
// prints what the replay did differently: decisions, claims, outputs, cost. The archive is
// read as for the timeline (BLOB_STORE, or ARCHIVE_DIR), so a workflow the broker no
// longer has replays too.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { blobConfig, blobStoreFromConfig, bodiesFromConfig } from '@paxfleet/agent-kit';
import { archiveDirConfig, archiveStore } from '@paxfleet/archive';
import { composeConfig, loadConfig } from '@paxfleet/core';
import { eventRegistry } from '@paxfleet/events';
import { formatDiff } from '../replay/diff.ts';
import { replayWorkflow } from '../replay/replay.ts';

const usage =
  'usage: replay <workflow-id> [--live] [--set <agent>.<VARIABLE>=<value> ...] [--port 27070]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      live: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
      port: { type: 'string', default: '27070' },
    },
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [workflowId] = parsed.positionals;
if (!workflowId || !/^[\w-]+$/.test(workflowId)) {
  console.error(usage);
  process.exit(2);
}
const agentEnv: Record<string, Record<string, string>> = {};
for (const setting of parsed.values.set) {
  const match = /^([a-z]+)\.([A-Z][A-Z0-9_]*)=(.*)$/s.exec(setting);
  const agent = match?.[1];
  if (!match || !agent || !eventRegistry().catalog.agents.some((spec) => spec.name === agent)) {
    console.error(
      `--set ${setting}: expected <agent>.<VARIABLE>=<value> for an agent of the catalog\n${usage}`,
    );
    process.exit(2);
  }
  agentEnv[agent] = { ...agentEnv[agent], [match[2] as string]: match[3] as string };
}

const config = loadConfig(composeConfig('replay', blobConfig, archiveDirConfig), process.env);
const blobs = blobStoreFromConfig(config);
const store =
  blobs || existsSync(config.ARCHIVE_DIR) ? archiveStore(blobs, config.ARCHIVE_DIR) : undefined;
const workDir = mkdtempSync(join(tmpdir(), 'paxfleet-replay-'));
try {
  const result = await replayWorkflow({
    workflowId,
    env: Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          /^(KAFKA|BLOB|MODEL)_/.test(entry[0]) && entry[1] !== undefined,
      ),
    ),
    ...(store && {
      archive: { store, topics: eventRegistry().catalog.agent('archiver').consumes },
    }),
    ...(blobs && { blobs }),
    bodies: bodiesFromConfig(config, blobs),
    live: parsed.values.live,
    agentEnv,
    workDir,
    basePort: Number(parsed.values.port),
    log: (line) => console.log(line),
  });
  console.log(
    `model calls: ${result.replayed} of ${result.recordings} answered from the recordings`,
  );
  console.log(formatDiff(result.diff));
  process.exitCode = result.diff.empty ? 0 : 1;
} finally {
  store?.close();
  rmSync(workDir, { recursive: true, force: true });
}
