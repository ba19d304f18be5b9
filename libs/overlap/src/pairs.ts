import { readFile } from 'node:fs/promises';
import { OverlapError } from './errors.ts';

export const PAIR_LABELS = ['same', 'distinct'] as const;
export type PairLabel = (typeof PAIR_LABELS)[number];

/** Two subjects and whether they are one piece of work, as a person judged them. */
export interface LabelledPair {
  readonly a: string;
  readonly b: string;
  readonly label: PairLabel;
  /** The 1-based line of the file it was read from, to point at it. */
  readonly line: number;
}

function isLabel(value: string): value is PairLabel {
  return (PAIR_LABELS as readonly string[]).includes(value);
}

/**
 * Parses the labelled-pairs format (data/topic-pairs.tsv): one `a<TAB>b<TAB>same|distinct`
 * a line; blank lines and lines starting with `#` are ignored. `file` only names the
 * source in errors. A bad line is OVERLAP_PAIRS_INVALID saying `<file>:<line>: ...`,
 * and so is a file with no pairs: a benchmark on nothing would report nothing.
 */
export function parseLabelledPairs(text: string, file: string): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const content = raw.replace(/\r$/, '');
    if (content.trim() === '' || content.startsWith('#')) continue;
    const line = index + 1;
    const fields = content.split('\t').map((field) => field.trim());
    const [a, b, label] = fields;
    if (fields.length !== 3 || a === undefined || b === undefined || label === undefined) {
      throw invalid(
        file,
        line,
        `expected 3 tab-separated fields (a, b, label), found ${fields.length}`,
      );
    }
    if (a === '' || b === '') throw invalid(file, line, 'a subject is empty');
    if (!isLabel(label)) {
      throw invalid(file, line, `the label is ${JSON.stringify(label)}, not same or distinct`);
    }
    pairs.push({ a, b, label, line });
  }
  if (pairs.length === 0)
    throw new OverlapError('OVERLAP_PAIRS_INVALID', `${file}: no pairs`, { details: { file } });
  return pairs;
}

/** Reads and parses a labelled-pairs file; a file that cannot be read is OVERLAP_PAIRS_INVALID too. */
export async function readLabelledPairs(file: string): Promise<LabelledPair[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OverlapError('OVERLAP_PAIRS_INVALID', `${file}: cannot be read (${reason})`, {
      cause: error,
      details: { file },
    });
  }
  return parseLabelledPairs(text, file);
}

function invalid(file: string, line: number, problem: string): OverlapError {
  return new OverlapError('OVERLAP_PAIRS_INVALID', `${file}:${line}: ${problem}`, {
    details: { file, line },
  });
}
