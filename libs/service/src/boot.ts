import type { Writable } from 'node:stream';
import { CodedError } from '@paxfleet/core';
import { createLogger, type LogFields } from './logger.ts';

/**
 * What a failed start says, as log fields: the error's code, its message, and the fix
 * when the error carries one (`details.fix`). A coded error is a setting to change (a bad
 * variable, a taken port, refused credentials), so no stack; anything else is a bug, and
 * its stack is kept.
 */
export function startFailureFields(error: unknown): LogFields {
  if (error instanceof CodedError) {
    const fix = error.details.fix;
    return { code: error.code, error: error.message, ...(typeof fix === 'string' && { fix }) };
  }
  return {
    code: 'SERVICE_START_FAILED',
    error: error instanceof Error ? error.message : String(error),
    ...(error instanceof Error && { stack: error.stack }),
  };
}

export interface BootOptions {
  /** Where the line goes; standard error when not given. */
  readonly stream?: Writable;
  /** process.exit unless replaced (tests). */
  readonly exit?: (code: number) => void;
}

/**
 * A service's entry point: runs `boot` (read the config, build the clients, runService),
 * and if it throws, the process ends with one JSON line ("start failed", the code, what
 * to fix) and exit 1, instead of an uncaught error and a stack trace.
 */
export async function bootService(
  agent: string,
  boot: () => Promise<unknown>,
  options: BootOptions = {},
): Promise<void> {
  try {
    await boot();
  } catch (error) {
    const logger = createLogger({ agent, stream: options.stream ?? process.stderr });
    logger.error('start failed', startFailureFields(error));
    (options.exit ?? ((code: number) => process.exit(code)))(1);
  }
}
