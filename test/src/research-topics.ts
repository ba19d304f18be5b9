import { createHash } from 'node:crypto';

/**
 * Research topics for one test run: `topic(label)` is the label and a suffix of its own,
 * the same for the same label. Topics that shared the run's name as a word would look like
 * one piece of work to the coordinator's overlap check, and all but one would be skipped.
 */
export function researchTopics(run: string): (label: string) => string {
  return (label) =>
    `${label}-${createHash('sha256').update(`${run}:${label}`).digest('hex').slice(0, 6)}`;
}
