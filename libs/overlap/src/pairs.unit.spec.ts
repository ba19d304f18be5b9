import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { OverlapError } from './errors.ts';
import { parseLabelledPairs, readLabelledPairs } from './pairs.ts';

it('reads tab-separated pairs, skipping comments and blank lines', () => {
  const text =
    '# pairs\n\nkafka-security\tkafka-performance\tdistinct\r\nk8s-autoscaling\tkubernetes-autoscaling\tsame\n';
  assert.deepEqual(parseLabelledPairs(text, 'pairs.tsv'), [
    { a: 'kafka-security', b: 'kafka-performance', label: 'distinct', line: 3 },
    { a: 'k8s-autoscaling', b: 'kubernetes-autoscaling', label: 'same', line: 4 },
  ]);
});

function invalid(text: string, message: string): void {
  assert.throws(
    () => parseLabelledPairs(text, 'pairs.tsv'),
    (error: unknown) =>
      error instanceof OverlapError &&
      error.code === 'OVERLAP_PAIRS_INVALID' &&
      error.message === `OVERLAP_PAIRS_INVALID: ${message}`,
  );
}

it('a line with the wrong number of fields names the file and the line', () => {
  invalid(
    '# c\na\tb\tsame\na\tb\n',
    'pairs.tsv:3: expected 3 tab-separated fields (a, b, label), found 2',
  );
  invalid(
    'a\tb\tsame\tnote\n',
    'pairs.tsv:1: expected 3 tab-separated fields (a, b, label), found 4',
  );
  invalid('a b same\n', 'pairs.tsv:1: expected 3 tab-separated fields (a, b, label), found 1');
});

it('a label other than same or distinct, an empty subject or no pairs at all is invalid', () => {
  invalid('a\tb\tsimilar\n', 'pairs.tsv:1: the label is "similar", not same or distinct');
  invalid('a\t\tsame\n', 'pairs.tsv:1: a subject is empty');
  invalid('# only a comment\n', 'pairs.tsv: no pairs');
});

it('reads a file, and a file that cannot be read is invalid too', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pairs-'));
  const file = join(dir, 'pairs.tsv');
  await writeFile(file, 'a\tb\tsame\n');
  assert.equal((await readLabelledPairs(file)).length, 1);
  await assert.rejects(
    readLabelledPairs(join(dir, 'missing.tsv')),
    /OVERLAP_PAIRS_INVALID: .*missing\.tsv: cannot be read \(ENOENT\)/,
  );
});
