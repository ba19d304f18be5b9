import { CliError } from '../errors.ts';

/** Where a dead letter is on dead-letters: its id is `<partition>:<offset>`. */
export interface DeadLetterPosition {
  readonly partition: number;
  readonly offset: number;
}

const ID_PATTERN = /^(\d{1,9}):(\d{1,18})$/;

export function deadLetterId(position: DeadLetterPosition): string {
  return `${position.partition}:${position.offset}`;
}

/** The position an id names; throws DEAD_LETTER_ID_INVALID for anything but `<partition>:<offset>`. */
export function parseDeadLetterId(id: string): DeadLetterPosition {
  const match = ID_PATTERN.exec(id);
  const offset = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(offset)) {
    throw new CliError(
      'DEAD_LETTER_ID_INVALID',
      `"${id}" is not a dead letter id: <partition>:<offset> of the letter on dead-letters, e.g. 2:1043 (paxfleet dead-letters list shows them)`,
      { details: { id } },
    );
  }
  return { partition: Number(match[1]), offset };
}
