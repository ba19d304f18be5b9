import type { Writable } from 'node:stream';
import type { Logger, LogFields } from '@paxfleet/core';

export type { LogFields };
import winston from 'winston';
import type { LogLevel } from './service-config.ts';
import { redactFields } from '@paxfleet/core';

/** The fleet's logger: one JSON line per entry, secrets redacted, bound fields via child(). */
export interface ServiceLogger extends Logger {
  readonly level: LogLevel;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger that adds these fields (workflow_id, trace_id, span_id...) to every entry. */
  child(fields: LogFields): ServiceLogger;
}

export interface LoggerOptions {
  /** The agent id written on every line as `agent`. */
  readonly agent: string;
  readonly level?: LogLevel;
  /** Fields on every line, for example `{ instance: config.INSTANCE_ID }`. */
  readonly fields?: LogFields;
  /** Where the JSON lines go; standard output when not given. */
  readonly stream?: Writable;
  /** Milliseconds since the epoch, for the `timestamp` field. */
  readonly clock?: () => number;
}

const levels: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3 };
const RESERVED = new Set(['timestamp', 'level', 'message', 'agent']);
// winston's conventions: the finished line lives under Symbol.for('message').
const LINE = Symbol.for('message');
const FIELDS = Symbol('paxfleet.fields');

interface Entry {
  level: string;
  message: unknown;
  [FIELDS]?: Record<string, unknown>;
  [key: string | symbol]: unknown;
}

export function createLogger(options: LoggerOptions): ServiceLogger {
  const level = options.level ?? 'info';
  const clock = options.clock ?? Date.now;
  const agent = options.agent;

  const jsonLine = winston.format((info) => {
    const entry = info as Entry;
    const line: Record<string, unknown> = {
      timestamp: new Date(clock()).toISOString(),
      level: entry.level,
      message: entry.message,
      agent,
    };
    const fields = redactFields(entry[FIELDS] ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) {
      line[RESERVED.has(key) ? `field_${key}` : key] = value;
    }
    entry[LINE] = JSON.stringify(line);
    return entry;
  });

  const root = winston.createLogger({
    level,
    levels,
    format: jsonLine(),
    transports: [new winston.transports.Stream({ stream: options.stream ?? process.stdout })],
  });
  // A broken stdout must not take the service down with it.
  root.on('error', () => {});

  const isLevelEnabled = (wanted: LogLevel): boolean => levels[wanted] <= levels[level];

  const bind = (bound: LogFields): ServiceLogger => {
    const at =
      (entryLevel: LogLevel) =>
      (message: string, fields?: LogFields): void => {
        if (!isLevelEnabled(entryLevel)) return;
        root.log({ level: entryLevel, message, [FIELDS]: { ...bound, ...fields } });
      };
    return {
      level,
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
      isLevelEnabled,
      child: (fields) => bind({ ...bound, ...fields }),
    };
  };
  return bind(options.fields ?? {});
}

/** A logger that drops everything: the default where logging is optional, and for tests. */
export const silentLogger: ServiceLogger = {
  level: 'error',
  error() {},
  warn() {},
  info() {},
  debug() {},
  isLevelEnabled: () => false,
  child: () => silentLogger,
};
