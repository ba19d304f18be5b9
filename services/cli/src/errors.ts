import { CodedError } from '@paxfleet/core';

export type CliErrorCode =
  | 'CLI_USAGE'
  | 'CLI_NOT_FOUND'
  | 'CLI_FAILED'
  | 'CLI_UNREACHABLE'
  | 'CLI_TIMED_OUT'
  | 'FLEET_START_FAILED'
  | 'REPLAY_WORKFLOW_UNKNOWN'
  | 'REPLAY_NO_START'
  | 'DEAD_LETTER_ID_INVALID'
  | 'DEAD_LETTER_NOT_FOUND'
  | 'DEAD_LETTER_UNDECODABLE'
  | 'DEAD_LETTER_REDRIVE_FAILED';

/**
 * What the command tells its caller by its exit status (README, "Exit codes"):
 * 0 done; 1 what was asked for failed or is not there; 2 the command line or the
 * configuration is wrong; 3 the broker or the coordinator cannot be reached; 4 a wait
 * ran out of time; 130 interrupted.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  timedOut: 4,
  interrupted: 130,
} as const;

const EXIT_OF: Record<CliErrorCode, number> = {
  CLI_USAGE: EXIT.usage,
  CLI_NOT_FOUND: EXIT.failed,
  CLI_FAILED: EXIT.failed,
  CLI_UNREACHABLE: EXIT.unreachable,
  CLI_TIMED_OUT: EXIT.timedOut,
  FLEET_START_FAILED: EXIT.failed,
  REPLAY_WORKFLOW_UNKNOWN: EXIT.failed,
  REPLAY_NO_START: EXIT.failed,
  DEAD_LETTER_ID_INVALID: EXIT.usage,
  DEAD_LETTER_NOT_FOUND: EXIT.failed,
  DEAD_LETTER_UNDECODABLE: EXIT.failed,
  DEAD_LETTER_REDRIVE_FAILED: EXIT.failed,
};

/** The error of this package: the command's, the fleet launcher's, the replay's and the dead-letter tools'. */
export class CliError extends CodedError<CliErrorCode> {
  override readonly name = 'CliError';

  get exitCode(): number {
    return EXIT_OF[this.code];
  }
}

/**
 * One line for any error: the message of a coded error names its code and what to fix
 * (CONFIG_INVALID names the variable); anything else is a bug, shown with its message.
 * `brokers` is the cluster the command used, named when it cannot be reached.
 */
export function describeFailure(
  error: unknown,
  brokers?: string,
): { line: string; exitCode: number } {
  if (error instanceof CliError) return { line: error.message, exitCode: error.exitCode };
  if (error instanceof CodedError) {
    const line = error.message.split('\n').join('; ');
    if (error.code === 'CONFIG_INVALID')
      return { line: `${line} (or give --brokers, --namespace)`, exitCode: EXIT.usage };
    if (error.code === 'KAFKA_CONNECT_FAILED' || error.code === 'KAFKA_AUTH_FAILED')
      return {
        line: `${line}: cannot reach Kafka at ${brokers ?? 'KAFKA_BROKERS'}; set KAFKA_BROKERS or --brokers (and KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* for a secured cluster)`,
        exitCode: EXIT.unreachable,
      };
    return { line, exitCode: EXIT.failed };
  }
  return {
    line: `unexpected error: ${String((error as Error | undefined)?.message ?? error)}`,
    exitCode: EXIT.failed,
  };
}
