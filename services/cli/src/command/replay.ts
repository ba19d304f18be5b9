import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiff } from '../replay/diff.ts';
import { replayWorkflow } from '../replay/replay.ts';
import type { CommandContext } from './context.ts';
import { CliError, EXIT } from '../errors.ts';
import { render } from './output.ts';
import { checkWorkflowId } from './timeline.ts';

export interface ReplayFlags {
  readonly live: boolean;
  readonly set: readonly string[];
  readonly port: number;
}

/** `--set <agent>.<VARIABLE>=<value>`, for agents of the catalog. */
function agentSettings(
  context: CommandContext,
  settings: readonly string[],
): Record<string, Record<string, string>> {
  const agents = new Set(context.registry.catalog.agents.map((agent) => agent.name));
  const byAgent: Record<string, Record<string, string>> = {};
  for (const setting of settings) {
    const match = /^([a-z]+)\.([A-Z][A-Z0-9_]*)=(.*)$/s.exec(setting);
    const agent = match?.[1];
    if (!match || !agent || !agents.has(agent))
      throw new CliError(
        'CLI_USAGE',
        `--set ${setting}: expected <agent>.<VARIABLE>=<value> for an agent of the catalog (${[...agents].join(', ')})`,
      );
    byAgent[agent] = { ...byAgent[agent], [match[2] as string]: match[3] as string };
  }
  return byAgent;
}

/**
 * paxfleet replay <workflow-id>: re-runs one past workflow through the real agents in a
 * shadow Kafka namespace (created and removed here), model calls answered from the ledger's
 * recordings (or by the model with --live), and shows what it did differently. Exits 1
 * when the replay differs from the original.
 */
export async function replayCommand(
  context: CommandContext,
  workflowId: string,
  flags: ReplayFlags,
): Promise<void> {
  checkWorkflowId(workflowId);
  const agentEnv = agentSettings(context, flags.set);
  const { blobs, archive, bodies } = context.stores();
  const workDir = mkdtempSync(join(tmpdir(), 'paxfleet-replay-'));
  const progress = context.output === 'table' ? (line: string) => console.log(line) : () => {};
  try {
    const result = await replayWorkflow({
      workflowId,
      env: context.fleetEnv,
      ...(archive && {
        archive: { store: archive, topics: context.registry.catalog.agent('archiver').consumes },
      }),
      ...(blobs && { blobs }),
      bodies,
      live: flags.live,
      agentEnv,
      workDir,
      basePort: flags.port,
      log: progress,
    });
    if (context.output === 'table') {
      console.log(
        `model calls: ${result.replayed} of ${result.recordings} answered from the recordings`,
      );
      console.log(formatDiff(result.diff));
    } else {
      const data = {
        workflow_id: workflowId,
        namespace: result.namespace,
        recordings: result.recordings,
        replayed: result.replayed,
        diff: result.diff,
      };
      console.log(render({ data, rows: [], columns: [] }, context.output));
    }
    if (!result.diff.empty) process.exitCode = EXIT.failed;
  } finally {
    archive?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
