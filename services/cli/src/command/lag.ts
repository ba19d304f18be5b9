import { Registry } from 'prom-client';
import { ConsumerLagMonitor, type PartitionLagRow } from '@paxfleet/lag';
import type { CommandContext } from './context.ts';
import { CliError } from '../errors.ts';
import { render, type Column } from './output.ts';

const COLUMNS: readonly Column<PartitionLagRow>[] = [
  { header: 'group', value: (row) => row.group },
  { header: 'topic', value: (row) => row.topic },
  { header: 'partition', value: (row) => row.partition },
  { header: 'committed', value: (row) => row.committed },
  { header: 'end', value: (row) => row.lastStable },
  { header: 'lag', value: (row) => row.messages },
  { header: 'lag seconds', value: (row) => row.seconds?.toFixed(1) },
];

/**
 * paxfleet lag [--group G]: each consumer group's lag per topic and partition, in records
 * and in seconds (the age of the oldest record it has not read), as the coordinator's
 * /metrics exports it.
 */
export async function lagCommand(context: CommandContext, group?: string): Promise<void> {
  const errors: string[] = [];
  const namespace = context.registry.namespace;
  const monitor = new ConsumerLagMonitor({
    connection: context.connection,
    registry: new Registry(),
    groups: group === undefined ? 'all' : [group],
    ...(namespace !== undefined && { namespace }),
    onError: (error) => errors.push(error.message),
  });
  try {
    const snapshot = await monitor.refresh();
    if (!snapshot)
      throw new CliError('CLI_UNREACHABLE', `could not read the lag: ${errors.join('; ')}`);
    const rows = [...snapshot.partitions].sort(
      (a, b) =>
        a.group.localeCompare(b.group) ||
        a.topic.localeCompare(b.topic) ||
        a.partition - b.partition,
    );
    if (group !== undefined && rows.length === 0)
      throw new CliError('CLI_NOT_FOUND', `group ${group} has committed no offsets`);
    for (const error of errors) console.error(`paxfleet: ${error}`);
    const data = rows.map((row) => ({
      group: row.group,
      topic: row.topic,
      partition: row.partition,
      committed: row.committed ?? null,
      end: row.lastStable,
      lag_messages: row.messages,
      lag_seconds: row.seconds ?? null,
    }));
    console.log(
      render({ data, rows, columns: COLUMNS, empty: 'no consumer groups' }, context.output),
    );
  } finally {
    await monitor.close();
  }
}
