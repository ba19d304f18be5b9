import { Registry } from 'prom-client';
import { TopicReader, type TopicValues } from '@paxfleet/events';
import { ConsumerLagMonitor } from '@paxfleet/lag';
import type { CommandContext } from './context.ts';
import { clock, render, renderLine, style, type Column } from './output.ts';

type Progress = TopicValues['agent-progress'];

/** How far back the board looks for instances: several heartbeats of the default 5 s. */
const WINDOW_MS = 60_000;
/** An instance silent for this long has likely stopped. */
const SILENT_MS = 30_000;

interface AgentRow {
  readonly agent: string;
  readonly instance: string;
  readonly state: string;
  readonly in_flight: number;
  readonly status: string;
  readonly work: readonly { workflow_id: string; work_key: string | null; status: string }[];
  readonly last_seen: string;
  readonly silent: boolean;
  /** The agent's group's lag: records it has not read, and the oldest one's age. */
  readonly lag_messages: number | null;
  readonly lag_seconds: number | null;
}

const COLUMNS: readonly Column<AgentRow>[] = [
  { header: 'agent', value: (row) => row.agent },
  { header: 'instance', value: (row) => row.instance },
  { header: 'state', value: (row) => (row.silent ? style('yellow', 'silent') : row.state) },
  { header: 'in flight', value: (row) => row.in_flight },
  { header: 'lag', value: (row) => row.lag_messages },
  { header: 'lag s', value: (row) => row.lag_seconds?.toFixed(1) },
  { header: 'last seen', value: (row) => row.last_seen.slice(11, 19) },
  { header: 'doing', value: (row) => row.status },
];

/**
 * paxfleet agents [--watch]: every agent instance heard from on agent-progress in the last
 * minute, what it is doing and how far behind its group is; --watch redraws as it changes.
 */
export async function agentsCommand(
  context: CommandContext,
  flags: { watch: boolean },
): Promise<void> {
  const registry = context.registry;
  const latest = new Map<string, Progress>();
  const reader = new TopicReader(context.connection, registry, { clientId: 'paxfleet-agents' });
  const namespace = registry.namespace;
  const groups = new Map(
    registry.catalog.agents.map((agent) => [registry.physicalId(agent.group), agent.name]),
  );
  const lag = new ConsumerLagMonitor({
    connection: context.connection,
    registry: new Registry(),
    groups: registry.catalog.agents.map((agent) => agent.group),
    ...(namespace !== undefined && { namespace }),
  });
  const rows = async (): Promise<AgentRow[]> => {
    const snapshot = await lag.refresh();
    const byAgent = new Map<string, { messages: number; seconds: number | null }>();
    for (const row of snapshot?.partitions ?? []) {
      const agent = groups.get(row.group);
      if (agent === undefined) continue;
      const sum = byAgent.get(agent) ?? { messages: 0, seconds: null };
      sum.messages += row.messages;
      if (row.seconds !== undefined) sum.seconds = Math.max(sum.seconds ?? 0, row.seconds);
      byAgent.set(agent, sum);
    }
    const now = Date.now();
    return [...latest.values()]
      .sort((a, b) => a.agent.localeCompare(b.agent) || a.instance.localeCompare(b.instance))
      .map((progress) => ({
        agent: progress.agent,
        instance: progress.instance,
        state: progress.state,
        in_flight: progress.in_flight,
        status: progress.status,
        work: progress.work.map(({ workflow_id, work_key, status }) => ({
          workflow_id,
          work_key,
          status,
        })),
        last_seen: new Date(progress.at).toISOString(),
        silent: now - progress.at > SILENT_MS,
        lag_messages: byAgent.get(progress.agent)?.messages ?? null,
        lag_seconds: byAgent.get(progress.agent)?.seconds ?? null,
      }));
  };
  const show = (board: AgentRow[]) =>
    render(
      {
        data: board,
        rows: board,
        columns: COLUMNS,
        empty: 'no agent has reported in the last minute',
      },
      context.output,
    );
  await reader.connect();
  try {
    const starts = await reader.everyPartition('agent-progress', {
      atOrAfter: Date.now() - WINDOW_MS,
    });
    const observe = (record: { value: Progress }) =>
      latest.set(`${record.value.agent}/${record.value.instance}`, record.value);
    if (!flags.watch) {
      await reader.readToEnd<'agent-progress'>(starts, observe);
      console.log(show(await rows()));
      return;
    }
    await reader.follow<'agent-progress'>(starts, observe);
    let last = '';
    for (;;) {
      const board = await rows();
      const text =
        context.output === 'table' ? show(board) : renderLine(board, context.output, () => '');
      const compare = JSON.stringify(board.map(({ last_seen: _, ...row }) => row));
      if (compare !== last) {
        last = compare;
        console.log(context.output === 'table' ? `\n${clock(Date.now())}\n${text}` : text);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await lag.close();
    await reader.close();
  }
}
