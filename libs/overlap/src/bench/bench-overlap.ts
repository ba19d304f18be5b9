// How well each similarity method tells the same work from distinct work on the
// hand-labelled topic pairs (OVERLAP_PAIRS, default libs/overlap/data/topic-pairs.tsv):
// the score distribution per label, precision and recall across thresholds, the pairs
// it gets wrong at its threshold, figures on two halves of the file (tune on one, check
// on the other), then one `bench-overlap:` line per method.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_TIMEOUT_MS, OpenAICompatibleEmbedder } from '@paxfleet/models';
import { EmbeddingSimilarity } from '../embedding/embedding-similarity.ts';
import { OverlapError } from '../errors.ts';
import { LexicalSimilarity } from '../lexical/lexical-similarity.ts';
import { readLabelledPairs, type LabelledPair } from '../pairs.ts';
import type { Similarity } from '../similarity.ts';
import { DEFAULT_THRESHOLDS } from '../thresholds.ts';
import {
  figuresAt,
  half,
  histogram,
  median,
  thresholdGrid,
  tuneThreshold,
  type Figures,
  type ScoredPair,
} from './metrics.ts';

/** The goal the thresholds are set for. */
const GOAL = { precision: 0.95, recall: 0.8 } as const;

/** The longest histogram bar, in characters. */
const BAR_WIDTH = 30;

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A relative OVERLAP_PAIRS is looked for from the working directory, then from the repository root. */
function pairsFile(setting: string | undefined): string {
  if (setting === undefined || setting === '') {
    return fileURLToPath(new URL('../../data/topic-pairs.tsv', import.meta.url));
  }
  if (isAbsolute(setting) || existsSync(setting)) return resolve(setting);
  return resolve(repositoryRoot, setting);
}

function thresholdOverride(setting: string | undefined): number | undefined {
  if (setting === undefined || setting === '') return undefined;
  const value = Number(setting);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    console.error(
      `bench-overlap: CLAIM_OVERLAP_THRESHOLD: ${JSON.stringify(setting)} is not a number from 0 to 1`,
    );
    process.exit(2);
  }
  return value;
}

const fixed = (value: number, digits = 2): string => value.toFixed(digits);

function figuresLine(figures: Figures): string {
  return `threshold ${fixed(figures.threshold)}, ${figures.pairs} pairs: precision ${fixed(figures.precision)}, recall ${fixed(figures.recall)}`;
}

function printDistribution(scored: readonly ScoredPair[]): void {
  const same = scored.filter((pair) => pair.label === 'same').map((pair) => pair.score);
  const distinct = scored.filter((pair) => pair.label === 'distinct').map((pair) => pair.score);
  for (const [label, scores] of [
    ['same', same],
    ['distinct', distinct],
  ] as const) {
    console.log(
      `  ${label.padEnd(8)} ${String(scores.length).padStart(4)} pairs  min ${fixed(Math.min(...scores), 3)}  median ${fixed(median(scores), 3)}  max ${fixed(Math.max(...scores), 3)}`,
    );
  }
  console.log(`  score       ${'same'.padEnd(BAR_WIDTH + 6)}distinct`);
  const sameBins = histogram(same);
  const distinctBins = histogram(distinct);
  const widest = Math.max(...sameBins, ...distinctBins);
  const bar = (count: number): string => '#'.repeat(Math.ceil((count / widest) * BAR_WIDTH));
  for (const [bin, count] of sameBins.entries()) {
    const other = distinctBins[bin] ?? 0;
    const range = `${fixed(bin * 0.05)}-${fixed((bin + 1) * 0.05)}`;
    console.log(
      `  ${range}  ${String(count).padStart(3)} ${bar(count).padEnd(BAR_WIDTH)}  ${String(other).padStart(3)} ${bar(other)}`,
    );
  }
}

function printTable(scored: readonly ScoredPair[], threshold: number): void {
  console.log('  threshold  precision  recall  F1');
  for (const t of thresholdGrid()) {
    const figures = figuresAt(scored, t);
    const mark = Math.abs(t - threshold) < 1e-9 ? '  <- threshold' : '';
    console.log(
      `  ${fixed(t).padStart(9)}  ${fixed(figures.precision).padStart(9)}  ${fixed(figures.recall).padStart(6)}  ${fixed(figures.f1)}${mark}`,
    );
  }
}

function printMistakes(scored: readonly ScoredPair[], threshold: number): void {
  const wrong = scored.filter((pair) => pair.score >= threshold !== (pair.label === 'same'));
  console.log(`  misclassified at ${fixed(threshold)}: ${wrong.length}`);
  for (const pair of [...wrong].sort((x, y) => y.score - x.score)) {
    const called = pair.score >= threshold ? 'same' : 'distinct';
    console.log(
      `    ${fixed(pair.score, 4)}  labelled ${pair.label}, called ${called}: ${pair.a} / ${pair.b} (line ${pair.line})`,
    );
  }
}

function printHalves(scored: readonly ScoredPair[], threshold: number): void {
  const halves = [0, 1].map((h) => scored.filter((pair) => half(pair) === h));
  const grid = thresholdGrid();
  for (const [h, tuning] of halves.entries()) {
    const checking = halves[1 - h] ?? [];
    const tuned = tuneThreshold(tuning, grid, GOAL.precision);
    console.log(`  half ${h + 1} at the threshold: ${figuresLine(figuresAt(tuning, threshold))}`);
    console.log(
      `  tuned on half ${h + 1}: ${figuresLine(tuned)}; checked on half ${2 - h}: ${figuresLine(figuresAt(checking, tuned.threshold))}`,
    );
  }
}

/** Lexical always; embedding when MODEL_BASE_URL and CLAIM_OVERLAP_EMBEDDING_MODEL name a model. */
function methods(env: NodeJS.ProcessEnv): Similarity[] {
  const lexical = new LexicalSimilarity();
  const baseUrl = env['MODEL_BASE_URL'];
  const model = env['CLAIM_OVERLAP_EMBEDDING_MODEL'];
  if (baseUrl === undefined || baseUrl === '' || model === undefined || model === '')
    return [lexical];
  const timeoutMs = Number(env['MODEL_TIMEOUT_MS'] ?? '') || DEFAULT_MODEL_TIMEOUT_MS;
  const apiKey = env['MODEL_API_KEY'];
  const embedder = new OpenAICompatibleEmbedder({
    baseUrl,
    model,
    timeoutMs,
    ...(apiKey !== undefined && apiKey !== '' && { apiKey }),
  });
  return [lexical, new EmbeddingSimilarity({ embedder })];
}

function score(similarity: Similarity, pairs: readonly LabelledPair[]): ScoredPair[] {
  return pairs.map((pair) => ({ ...pair, score: similarity.score(pair.a, pair.b) }));
}

const file = pairsFile(process.env['OVERLAP_PAIRS']);
const override = thresholdOverride(process.env['CLAIM_OVERLAP_THRESHOLD']);
let pairs: LabelledPair[];
try {
  pairs = await readLabelledPairs(file);
} catch (error) {
  if (!(error instanceof OverlapError)) throw error;
  console.error(`bench-overlap: ${error.message}`);
  process.exit(2);
}

const finalLines: string[] = [];
for (const similarity of methods(process.env)) {
  let scored: ScoredPair[];
  try {
    await similarity.prepare([...new Set(pairs.flatMap((pair) => [pair.a, pair.b]))]);
    scored = score(similarity, pairs);
  } catch (error) {
    console.error(
      `bench-overlap: ${similarity.method}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
    continue;
  }
  const threshold = override ?? DEFAULT_THRESHOLDS[similarity.method];
  console.log(`${similarity.method} on ${file}`);
  printDistribution(scored);
  printTable(scored, threshold);
  printMistakes(scored, threshold);
  printHalves(scored, threshold);
  console.log('');
  finalLines.push(
    `bench-overlap: ${similarity.method}, ${figuresLine(figuresAt(scored, threshold))}`,
  );
}
for (const line of finalLines) console.log(line);
