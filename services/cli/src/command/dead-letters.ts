import { userInfo } from 'node:os';
import {
  listDeadLetters,
  showDeadLetter,
  type DeadLetterRow,
} from '../dead-letters/dead-letters.ts';
import { redriveDeadLetters, type RedriveResult } from '../dead-letters/redrive.ts';
import { CliError, EXIT } from '../errors.ts';
import type { CommandContext } from './context.ts';
import { clock, render, type Column } from './output.ts';
import { parseDuration } from './tail.ts';

const LIST: readonly Column<DeadLetterRow>[] = [
  { header: 'id', value: (row) => row.id },
  { header: 'failed', value: (row) => clock(row.failedAt) },
  {
    header: 'source',
    value: (row) => `${row.sourceTopic}[${row.sourcePartition}]@${row.sourceOffset}`,
  },
  { header: 'code', value: (row) => row.errorCode },
  { header: 'by', value: (row) => row.failedBy },
  { header: 'workflow', value: (row) => row.workflowId },
  {
    header: 'redriven',
    value: (row) => (row.redrive ? `${clock(row.redrive.at)} by ${row.redrive.by}` : ''),
  },
  { header: 'reason', value: (row) => row.errorMessage.slice(0, 80) },
];

const REDRIVE: readonly Column<RedriveResult>[] = [
  { header: 'id', value: (result) => result.id },
  { header: 'status', value: (result) => result.status },
  {
    header: 'copy',
    value: (result) =>
      'redrive' in result
        ? `${result.redrive.topic}[${result.redrive.partition}]@${result.redrive.offset}`
        : '',
  },
  {
    header: 'when',
    value: (result) =>
      'redrive' in result ? `${clock(result.redrive.at)} by ${result.redrive.by}` : '',
  },
];

export interface ListFlags {
  readonly since?: string;
  readonly sourceTopic?: string;
  readonly errorCode?: string;
  readonly limit?: number;
}

/** paxfleet dead-letters [list]: the dead letters, oldest first, and whether each was re-driven. */
export async function deadLettersListCommand(
  context: CommandContext,
  flags: ListFlags,
): Promise<void> {
  const list = await listDeadLetters(context.connection, context.registry, {
    ...(flags.since !== undefined && { since: Date.now() - parseDuration('--since', flags.since) }),
    ...(flags.sourceTopic !== undefined && { sourceTopic: flags.sourceTopic }),
    ...(flags.errorCode !== undefined && { errorCode: flags.errorCode }),
    ...(flags.limit !== undefined && { limit: flags.limit }),
  });
  console.log(
    render(
      { data: list, rows: list.rows, columns: LIST, empty: 'no dead letters' },
      context.output,
    ),
  );
  for (const bad of list.undecodable)
    console.error(`paxfleet: dead letter ${bad.id} does not decode: ${bad.error}`);
}

/** paxfleet dead-letters show <id>: one dead letter whole, its value decoded when it decodes. */
export async function deadLettersShowCommand(context: CommandContext, id: string): Promise<void> {
  const letter = await showDeadLetter(context.connection, context.registry, id);
  if (context.output !== 'table') {
    console.log(render({ data: letter, rows: [], columns: [] }, context.output));
    return;
  }
  const text = (bytes: { text?: string; base64: string; size: number } | null) =>
    bytes === null ? '-' : (bytes.text ?? `${bytes.size} bytes, base64 ${bytes.base64}`);
  console.log(
    [
      `${letter.id}  ${letter.sourceTopic}[${letter.sourcePartition}]@${letter.sourceOffset}, failed ${clock(letter.failedAt)} in ${letter.failedBy} after ${letter.attempts} attempt(s)`,
      `  error     ${letter.errorCode}: ${letter.errorMessage}`,
      `  workflow  ${letter.workflowId ?? '-'}`,
      `  redriven  ${letter.redrive ? `${clock(letter.redrive.at)} by ${letter.redrive.by} to ${letter.redrive.topic}[${letter.redrive.partition}]@${letter.redrive.offset}` : 'no'}`,
      `  key       ${text(letter.key)}`,
      ...Object.entries(letter.headers).map(
        ([name, value]) => `  header    ${name}: ${text(value)}`,
      ),
      letter.decodedValue.decoded
        ? `  value     (v${letter.decodedValue.writerVersion}) ${JSON.stringify(letter.decodedValue.value)}`
        : `  value     does not decode (${letter.decodedValue.error}): ${text(letter.value)}`,
    ].join('\n'),
  );
}

/**
 * paxfleet dead-letters redrive <id>...: each letter's record back on its source topic, once:
 * a letter already re-driven is said so and not published again. Exits 1 if an id is not found.
 */
export async function deadLettersRedriveCommand(
  context: CommandContext,
  ids: readonly string[],
  flags: { by?: string },
): Promise<void> {
  if (ids.length === 0)
    throw new CliError(
      'CLI_USAGE',
      'redrive needs at least one dead letter id (paxfleet dead-letters list shows them)',
    );
  const results = await redriveDeadLetters(context.connection, context.registry, ids, {
    by: flags.by ?? `paxfleet-cli:${userInfo().username}`,
  });
  console.log(render({ data: results, rows: results, columns: REDRIVE }, context.output));
  if (results.some((result) => result.status === 'not-found')) process.exitCode = EXIT.failed;
}
