import { HEADER, TopicReader, type TopicName } from '@paxfleet/events';
import type { PartitionRecord, StartPosition } from '@paxfleet/kafka';
import { formatTimeline, timelineEntry } from '@paxfleet/timeline';
import type { CommandContext } from './context.ts';
import { CliError } from '../errors.ts';
import { renderLine } from './output.ts';

export interface TailFlags {
  readonly fromBeginning: boolean;
  /** e.g. 10m, 2h: records written since then. */
  readonly since?: string;
  readonly key?: string;
  readonly workflow?: string;
  readonly header: readonly string[];
  /** Stop after this many records. */
  readonly num?: number;
  /** Stop at the end of the log instead of following it. */
  readonly exitAtEnd: boolean;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(flag: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match)
    throw new CliError('CLI_USAGE', `${flag} ${value}: a duration such as 90s, 10m, 2h or 1d`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

function headerFilters(flags: readonly string[]): [string, string][] {
  return flags.map((flag) => {
    const at = flag.indexOf('=');
    if (at < 1) throw new CliError('CLI_USAGE', `--header ${flag}: expected name=value`);
    return [flag.slice(0, at), flag.slice(at + 1)];
  });
}

/** A record as one JSON line: where it is, its key and headers as text, and its value decoded. */
type Located = Omit<PartitionRecord, 'value'>;

function recordJson(
  record: Located,
  value: unknown,
  undecodable?: { reason: string; raw: Buffer | null },
) {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(record.timestamp).toISOString(),
    key: record.key?.toString('utf8') ?? null,
    headers: Object.fromEntries(
      Object.entries(record.headers).map(([name, bytes]) => [name, bytes.toString('utf8')]),
    ),
    ...(undecodable === undefined
      ? { value }
      : {
          undecodable: undecodable.reason,
          value_base64: undecodable.raw?.toString('base64') ?? null,
        }),
  };
}

/**
 * paxfleet tail <topic>: the topic's records decoded, as JSON lines (-o json, like `rpk
 * topic consume`), YAML documents or timeline lines, new ones as they come (or from the
 * beginning, or since a time), filtered by key, workflow or header before decoding.
 */
export async function tailCommand(
  context: CommandContext,
  topic: string,
  flags: TailFlags,
): Promise<void> {
  const registry = context.registry;
  if (!registry.catalog.topics.some((spec) => spec.name === topic))
    throw new CliError(
      'CLI_USAGE',
      `unknown topic "${topic}"; the catalog's topics: ${registry.catalog.topics.map((spec) => spec.name).join(', ')}`,
    );
  if (flags.fromBeginning && flags.since !== undefined)
    throw new CliError('CLI_USAGE', '--from-beginning and --since: give one of them');
  if (flags.num !== undefined && (!Number.isSafeInteger(flags.num) || flags.num < 1))
    throw new CliError('CLI_USAGE', `-n ${flags.num}: a number of records, at least 1`);
  const from: StartPosition =
    flags.since !== undefined
      ? { atOrAfter: Date.now() - parseDuration('--since', flags.since) }
      : flags.fromBeginning
        ? 'beginning'
        : 'end';
  const wanted: [string, string][] = [
    ...headerFilters(flags.header),
    ...(flags.workflow !== undefined
      ? [[HEADER.workflowId, flags.workflow] as [string, string]]
      : []),
  ];
  const only = (record: PartitionRecord) =>
    (flags.key === undefined || record.key?.toString('utf8') === flags.key) &&
    wanted.every(([name, value]) => record.headers[name]?.toString('utf8') === value);

  let shown = 0;
  let following = false;
  let lastError: string | undefined;
  const done = Promise.withResolvers<void>();
  const show = (
    record: Located,
    value: unknown,
    undecodable?: { reason: string; raw: Buffer | null },
  ) => {
    if (flags.num !== undefined && shown >= flags.num) return;
    shown += 1;
    const data = recordJson(record, value, undecodable);
    process.stdout.write(
      `${renderLine(data, context.output, () =>
        formatTimeline([
          timelineEntry(
            record,
            undecodable === undefined ? value : { undecodable: undecodable.reason },
            'broker',
          ),
        ]),
      )}\n`,
    );
    if (flags.num !== undefined && shown >= flags.num) done.resolve();
  };
  const reader = new TopicReader(context.connection, registry, {
    clientId: 'paxfleet-tail',
    onUndecodable: (record, error) => {
      if (only(record)) show(record, null, { reason: error.message, raw: record.value });
    },
    // Following goes on past a failed fetch; the operator hears of each new failure once.
    onError: (error) => {
      if (!following || error.message === lastError) return;
      lastError = error.message;
      console.error(`paxfleet: ${error.message}`);
    },
  });
  await reader.connect();
  try {
    const starts = await reader.everyPartition(topic as TopicName, from);
    const deliver = (record: Located & { value: unknown }) => show(record, record.value);
    if (flags.exitAtEnd) {
      await Promise.race([reader.readToEnd(starts, deliver, only), done.promise]);
      return;
    }
    await reader.follow(starts, deliver, only);
    following = true;
    await done.promise;
  } finally {
    await reader.close();
  }
}
