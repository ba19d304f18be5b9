import { PassThrough } from 'node:stream';
import type { LogLevel } from './service-config.ts';
import { createLogger, type LogFields, type ServiceLogger } from './logger.ts';

export interface CapturedLogs {
  readonly logger: ServiceLogger;
  /** Every line written so far, parsed. */
  readonly entries: () => Record<string, unknown>[];
}

/** A real logger whose JSON lines are kept in memory, for assertions in tests. */
export function captureLogs(
  options: { agent?: string; level?: LogLevel; fields?: LogFields; clock?: () => number } = {},
): CapturedLogs {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const logger = createLogger({
    agent: options.agent ?? 'test-agent',
    level: options.level ?? 'debug',
    stream,
    ...(options.fields ? { fields: options.fields } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    logger,
    entries: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
