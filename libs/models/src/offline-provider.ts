import { appendFileSync } from 'node:fs';
import { ModelError } from './errors.ts';
import {
  CHARS_PER_TOKEN,
  estimateTokens,
  promptHash,
  type Completion,
  type CompletionRequest,
  type ModelProvider,
} from './model-provider.ts';

export const OFFLINE_MODEL = 'offline-deterministic-1';
const DEFAULT_MAX_TOKENS = 512;

type Shape = 'outline' | 'keywords' | 'summary' | 'draft' | 'analysis';

const STOPWORDS = new Set(
  (
    'a an the and or but of to in on for with about into from by at as is are be was it its this that ' +
    'these those our your their we you i me please write create draft give make produce generate list ' +
    'provide short brief long blog post article outline summary summarize summarise keywords keyword ' +
    'analysis analyse analyze report newsletter deck pitch email some few new using based how what why'
  ).split(' '),
);
const TOPIC_MARKERS = ['about', 'regarding', 'covering', 'on', 'for'];
const SMALL_WORDS = new Set(['a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'the', 'with']);

const TITLES = [
  '{Topic}: A Practical Guide',
  'Getting {Topic} Right',
  '{Topic}, Explained',
  'What Teams Should Know About {Topic}',
];
const SECTIONS = [
  'Why {topic} matters now',
  'What {topic} actually means',
  'How teams adopt {topic}',
  'Common pitfalls with {topic}',
  'Measuring {focus}',
  'Choosing tools for {topic}',
  'Where {focus} is heading',
  'A practical checklist for {focus}',
];
const SENTENCES = [
  '{topic} helps teams see what is happening before it becomes a problem.',
  'Most of the value of {topic} comes from {focus}, not from dashboards alone.',
  'Teams that start with {focus} tend to get results from {topic} sooner.',
  'The hard part of {topic} is rarely the tooling; it is agreeing on what to measure.',
  'A small pilot around {focus} is the cheapest way to test {topic}.',
  'Cost, ownership and {focus} should be settled before {topic} is rolled out widely.',
  'Readers want concrete examples of {topic} rather than broad promises.',
  'Compared with ad-hoc approaches, {topic} makes {focus} repeatable.',
];
const BULLETS = [
  'Define {focus} in one sentence',
  'Show a real example of {topic}',
  'List the trade-offs of {focus}',
  'Name the metrics that prove {topic} works',
  'Point to next steps for {focus}',
  'Compare {topic} with the status quo',
];

/**
 * The default provider: no network, no key. The same request always gives the same text,
 * built from the prompt's own topic so downstream agents and tests see plausible content.
 */
export class OfflineModelProvider implements ModelProvider {
  readonly name = 'offline';
  readonly #latencyMs: number;
  readonly #callLog: string | undefined;

  /**
   * `latencyMs` stands in for a real model's thinking time, so demos show each step.
   * `callLog` is a file that gets one JSON line per call as it starts ({at, pid, prompt}),
   * written synchronously so a SIGKILL right after loses none: tests count calls per event.
   */
  constructor(options: { latencyMs?: number; callLog?: string } = {}) {
    this.#latencyMs = options.latencyMs ?? 0;
    this.#callLog = options.callLog;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    if (this.#callLog) {
      appendFileSync(
        this.#callLog,
        `${JSON.stringify({ at: Date.now(), pid: process.pid, prompt: request.prompt.slice(0, 300) })}\n`,
      );
    }
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    return this.#answer(request);
  }

  #answer(request: CompletionRequest): Promise<Completion> {
    if (request.signal?.aborted) {
      return Promise.reject(
        new ModelError('MODEL_ABORTED', 'the caller aborted the call', {
          cause: request.signal.reason,
        }),
      );
    }
    const text = truncate(
      compose(request),
      (request.maxTokens ?? DEFAULT_MAX_TOKENS) * CHARS_PER_TOKEN,
    );
    return Promise.resolve({
      text,
      model: OFFLINE_MODEL,
      provider: this.name,
      promptTokens: estimateTokens(`${request.system ?? ''}${request.prompt}`),
      completionTokens: estimateTokens(text),
    });
  }
}

function compose(request: CompletionRequest): string {
  const seed = Buffer.from(promptHash(request), 'hex');
  let cursor = 0;
  const next = (): number => seed[cursor++ % seed.length]!;
  const topic = topicOf(request.prompt);
  const focuses = focusTerms(topic, request.prompt);
  const fill = (template: string): string =>
    capitalise(
      template
        .replaceAll('{Topic}', titleCase(topic))
        .replaceAll('{topic}', topic)
        .replaceAll('{focus}', focuses[next() % focuses.length]!),
    );
  // A seeded shuffle dealt in order, so one text does not repeat a template until all are used.
  const deck = (items: readonly string[]) => {
    const cards = [...items];
    for (let i = cards.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [cards[i], cards[j]] = [cards[j]!, cards[i]!];
    }
    let dealt = 0;
    return (count: number): string[] =>
      Array.from({ length: count }, () => fill(cards[dealt++ % cards.length]!));
  };
  const [title] = deck(TITLES)(1);
  const sections = deck(SECTIONS);
  const sentences = deck(SENTENCES);
  const bullets = deck(BULLETS);

  switch (shapeOf(request.prompt)) {
    case 'outline':
      return [
        `# ${title}`,
        '',
        ...sections(5).flatMap((section, i) => [
          `${i + 1}. ${section}`,
          ...bullets(2).map((bullet) => `   - ${bullet}`),
        ]),
      ].join('\n');
    case 'keywords':
      return [
        `Keywords for ${topic}:`,
        ...keywordPhrases(topic, focuses).map((k) => `- ${k}`),
      ].join('\n');
    case 'summary':
      return `In short: ${sentences(3).join(' ')}`;
    case 'draft':
      return [
        `# ${title}`,
        '',
        sentences(2).join(' '),
        ...sections(3).flatMap((section) => ['', `## ${section}`, '', sentences(3).join(' ')]),
      ].join('\n');
    case 'analysis':
      return [
        `Analysis: ${topic}`,
        '',
        'Findings:',
        ...sentences(4).map((s) => `- ${s}`),
        '',
        `Recommendation: ${bullets(1).join('')}.`,
      ].join('\n');
  }
}

function shapeOf(prompt: string): Shape {
  if (/\boutline\b/i.test(prompt)) return 'outline';
  if (/\bkey ?words?\b/i.test(prompt)) return 'keywords';
  if (/\bsummar(?:y|i[sz]e)|\btl;?dr\b/i.test(prompt)) return 'summary';
  if (/\b(?:write|draft|blog|article|post|newsletter|deck|pitch|email)\b/i.test(prompt))
    return 'draft';
  return 'analysis';
}

/** The phrase after "about"/"on"/..., else the prompt's first content words. */
function topicOf(prompt: string): string {
  const firstLine = prompt.split('\n').find((line) => line.trim() !== '') ?? '';
  const quoted = /["“]([^"”]{3,80})["”]/.exec(firstLine);
  if (quoted) return quoted[1]!.trim();
  for (const marker of TOPIC_MARKERS) {
    const match = new RegExp(`\\b${marker}\\s+([^.?!:;,()\\n]+)`, 'i').exec(firstLine);
    const phrase = match?.[1]?.split(
      /\s+(?:for|with|that|which|using|including|so|in order)\s+/i,
    )[0];
    const words = phrase?.split(/\s+/).filter((w) => w !== '') ?? [];
    while (words.length > 0 && STOPWORDS.has(words[0]!.toLowerCase())) words.shift();
    if (words.length > 0) return words.slice(0, 6).join(' ');
  }
  return contentWords(prompt).slice(0, 4).join(' ') || 'the topic';
}

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9-]*/g) ?? []).filter(
    (w) => w.length > 2 && !STOPWORDS.has(w),
  );
}

/** Terms to vary the prose: other words the prompt repeats, else pairs of the topic's words. */
function focusTerms(topic: string, prompt: string): string[] {
  const inTopic = new Set(contentWords(topic));
  const counts = new Map<string, number>();
  for (const word of contentWords(prompt))
    if (!inTopic.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const repeated = [...counts]
    .filter(([, n]) => n > 1)
    .map(([w]) => w)
    .slice(0, 4);
  const words = topic.split(' ');
  const pairs = words.slice(1).map((word, i) => `${words[i]} ${word}`);
  const terms = [...repeated, ...pairs];
  return terms.length > 0 ? terms : [topic];
}

function keywordPhrases(topic: string, focuses: readonly string[]): string[] {
  const lower = topic.toLowerCase();
  return [
    ...new Set([
      lower,
      ...focuses,
      `${lower} tools`,
      `what is ${lower}`,
      `${lower} best practices`,
    ]),
  ];
}

function titleCase(text: string): string {
  return text
    .split(' ')
    .map((w, i) => (i > 0 && SMALL_WORDS.has(w.toLowerCase()) ? w : capitalise(w)))
    .join(' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Cuts at the last line or word boundary within the budget, so the text stays readable. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const boundary = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. ') + 1, cut.lastIndexOf(' '));
  return (boundary > maxChars / 2 ? cut.slice(0, boundary) : cut).trimEnd();
}
