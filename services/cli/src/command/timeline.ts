import { formatCost, formatTimeline, workflowCost, workflowHistory } from '@paxfleet/timeline';
import type { CommandContext } from './context.ts';
import { CliError } from '../errors.ts';
import { plain, render } from './output.ts';

const WORKFLOW_ID = /^[\w-]{1,100}$/;

export function checkWorkflowId(id: string): string {
  if (!WORKFLOW_ID.test(id))
    throw new CliError('CLI_USAGE', `"${id}" is not a workflow id (for example workflow_7k2p9x0q)`);
  return id;
}

/**
 * paxfleet timeline <workflow-id>: the workflow's records from the cold archive and every
 * topic on the broker, in time order, each saying where it came from, then what its model
 * calls cost.
 */
export async function timelineCommand(context: CommandContext, workflowId: string): Promise<void> {
  checkWorkflowId(workflowId);
  const { archive } = context.stores();
  const registry = context.registry;
  try {
    const history = await workflowHistory(
      context.connection,
      registry,
      workflowId,
      archive && { store: archive, topics: registry.catalog.agent('archiver').consumes },
    );
    if (history.entries.length === 0)
      throw new CliError('CLI_NOT_FOUND', `no records carry workflow-id ${workflowId}`);
    const cost = workflowCost(history.entries);
    const archived =
      history.archive &&
      `archive: ${history.archive.records} records from ${history.archive.objectsRead} objects (${history.archive.indexEntries} index entries) at ${archive?.location ?? ''}`;
    if (context.output === 'table') {
      console.log(
        [formatTimeline(history.entries), formatCost(cost), archived].filter(Boolean).join('\n'),
      );
      return;
    }
    const data = {
      workflow_id: workflowId,
      entries: history.entries,
      cost: { ...cost, byAgent: Object.fromEntries(cost.byAgent) },
      ...(history.archive && { archive: history.archive }),
    };
    console.log(render({ data: plain(data), rows: [], columns: [] }, context.output));
  } finally {
    archive?.close();
  }
}
