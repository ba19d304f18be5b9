import { styleText } from 'node:util';
import { stringify as yamlStringify } from 'yaml';
import { CliError } from '../errors.ts';

export const FORMATS = ['table', 'json', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new CliError('CLI_USAGE', `-o ${value}: the output is one of ${FORMATS.join(', ')}`);
}

/** A column of a table: its heading and how a row shows in it. */
export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string | number | null | undefined;
}

/** What a read command shows: the data as JSON or YAML, or rows under columns. */
export interface View<Row> {
  readonly data: unknown;
  readonly rows: readonly Row[];
  readonly columns: readonly Column<Row>[];
  /** Said instead of an empty table. */
  readonly empty?: string;
}

/** Bold, dim or red where stdout is a terminal and NO_COLOR is unset; plain text otherwise. */
export function style(format: 'bold' | 'dim' | 'red' | 'green' | 'yellow', text: string): string {
  return styleText(format, text, { stream: process.stdout });
}

export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) =>
        index === values.length - 1 ? value : value.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    style('bold', line(columns.map((column) => column.header.toUpperCase()))),
    ...cells.map(line),
  ].join('\n');
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/\s+/g, ' ');
}

export function render<Row>(view: View<Row>, format: Format): string {
  if (format === 'json') return JSON.stringify(plain(view.data), null, 2);
  if (format === 'yaml') return yamlStringify(plain(view.data)).trimEnd();
  if (view.rows.length === 0 && view.empty) return view.empty;
  return table(view.rows, view.columns);
}

/** One record of a stream (tail, a workflow followed live): a JSON line, a YAML document, or a line. */
export function renderLine(data: unknown, format: Format, line: () => string): string {
  if (format === 'json') return JSON.stringify(plain(data));
  if (format === 'yaml') return `---\n${yamlStringify(plain(data)).trimEnd()}`;
  return line();
}

/**
 * Data as JSON and YAML can carry it: bytes as base64, big integers as numbers when they
 * fit (strings otherwise), maps as objects.
 */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([key, item]) => [String(key), plain(item)]));
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

/** An ISO time to the second, for tables. */
export function clock(epochMs: number | null | undefined): string {
  return epochMs ? new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ') : '-';
}
