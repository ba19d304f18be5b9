import { STOP_WORDS, topicWords, words } from '@paxfleet/text';

/** What the score is computed from: one finished piece of content. */
export interface SeoInput {
  readonly title: string;
  /** The body as stored in the blob store (Markdown). */
  readonly body: string;
  /** content-results.format: blog_post, prospect_deck, newsletter. */
  readonly format: string;
  /** The research topic slug, for example agent-observability. */
  readonly topic: string;
  /** The result's summary, offered as a meta description when the body has none. */
  readonly summary?: string;
}

/** Points per criterion; they add up to 100. */
export const WEIGHTS = {
  length: 25,
  headings: 20,
  keywordDensity: 20,
  titleLength: 15,
  metaDescription: 10,
  topicInTitle: 5,
  topicInOpening: 5,
} as const;

export type Criterion = keyof typeof WEIGHTS;

export interface SeoScore {
  /** 0 to 100. */
  readonly score: number;
  /** By term frequency, stop words left out; the most frequent first. */
  readonly keywords: string[];
  /** Most points lost first; empty when nothing is worth changing. */
  readonly recommendations: string[];
  readonly points: Readonly<Record<Criterion, number>>;
  readonly wordCount: number;
  /** Percentage of the body's words that are the top keyword. */
  readonly keywordDensity: number;
}

export const MAX_KEYWORDS = 8;
export const TITLE_MIN_CHARS = 30;
export const TITLE_MAX_CHARS = 60;
export const META_MIN_CHARS = 50;
export const META_MAX_CHARS = 160;
export const DENSITY_MIN_PERCENT = 0.5;
export const DENSITY_MAX_PERCENT = 2.5;

/** Words a reader expects of each format before it ranks; anything else needs 300. */
export const MIN_WORDS: Readonly<Record<string, number>> = {
  blog_post: 600,
  newsletter: 400,
  prospect_deck: 250,
};
const DEFAULT_MIN_WORDS = 300;

/** The most frequent words that are not stop words; ties keep the order of first use. */
export function keywordsByFrequency(text: string, limit = MAX_KEYWORDS): string[] {
  const counts = new Map<string, number>();
  for (const word of words(text)) {
    if (!STOP_WORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Map keeps insertion order and sort is stable: equal counts stay in order of first use.
  return [...counts]
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([word]) => word);
}

interface Structure {
  readonly h1: number;
  readonly subheadings: number;
  readonly metaDescription: string | undefined;
  /** The body without front matter, the text that is read and counted. */
  readonly text: string;
  readonly opening: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

function structure(body: string): Structure {
  const front = FRONT_MATTER.exec(body);
  const text = front ? body.slice(front[0].length) : body;
  const fromFront = front?.[1]
    ?.split(/\r?\n/)
    .map((line) => /^description:\s*(.*)$/i.exec(line)?.[1])
    .find((value) => value !== undefined);
  const fromTag = /<meta\s+name=["']description["']\s+content=["']([^"']*)["']/i.exec(body)?.[1];
  const metaDescription = (fromFront ?? fromTag)?.trim().replace(/^["']|["']$/g, '');

  let h1 = 0;
  let subheadings = 0;
  let opening = '';
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    const heading = /^(#{1,6})\s+\S/.exec(line);
    if (heading) {
      if (heading[1]?.length === 1) h1 += 1;
      else subheadings += 1;
    }
  }
  // The opening is the first paragraph that is prose, not a heading.
  for (const paragraph of text.split(/\r?\n\s*\r?\n/)) {
    const prose = paragraph
      .split(/\r?\n/)
      .filter((line) => !/^#{1,6}\s/.test(line))
      .join(' ')
      .trim();
    if (prose !== '') {
      opening = prose;
      break;
    }
  }
  return {
    h1,
    subheadings,
    metaDescription: metaDescription === '' ? undefined : metaDescription,
    text,
    opening,
  };
}

function topicPhrase(topic: string): string {
  return topic.replace(/[-_]+/g, ' ');
}

function containsAll(text: string, wanted: readonly string[]): boolean {
  const present = new Set(words(text));
  return wanted.every((word) => present.has(word));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Scores a piece of content for search from its text alone: length, headings, keyword
 * density, title and meta description, and whether the topic is where readers look first.
 * The same input always gives the same report.
 */
export function scoreContent(input: SeoInput): SeoScore {
  const found = structure(input.body);
  const bodyWords = words(found.text);
  const wordCount = bodyWords.length;
  const keywords = keywordsByFrequency(found.text);
  const lost: { points: number; text: string }[] = [];
  const award = (
    criterion: Criterion,
    earned: number,
    advice: string | readonly string[] = [],
  ): number => {
    const weight = WEIGHTS[criterion];
    const points = Math.max(0, Math.min(weight, earned));
    if (points < weight) {
      for (const text of typeof advice === 'string' ? [advice] : advice) {
        lost.push({ points: weight - points, text });
      }
    }
    return points;
  };

  const minWords = MIN_WORDS[input.format] ?? DEFAULT_MIN_WORDS;
  const length = award(
    'length',
    (WEIGHTS.length * Math.min(wordCount, minWords)) / minWords,
    `Body has ${wordCount} words; aim for at least ${minWords} for a ${input.format.replace(/_/g, ' ')}`,
  );

  const h1Points = found.h1 === 1 ? 8 : found.h1 > 1 ? 4 : 0;
  const subPoints = Math.min(found.subheadings, 2) * 6;
  const headingAdvice: string[] = [];
  if (found.h1 === 0) headingAdvice.push('Add a top-level heading (# Title)');
  if (found.h1 > 1) headingAdvice.push(`Use a single top-level heading; found ${found.h1}`);
  if (found.subheadings < 2) {
    headingAdvice.push(
      `Add subheadings (##) to break up the text; found ${found.subheadings}, aim for at least 2`,
    );
  }
  const headings = award('headings', h1Points + subPoints, headingAdvice);

  const top = keywords[0];
  const topCount = top === undefined ? 0 : bodyWords.filter((word) => word === top).length;
  const density = wordCount === 0 ? 0 : (100 * topCount) / wordCount;
  let densityPoints: number;
  let densityAdvice: string | undefined;
  if (top === undefined) {
    densityPoints = 0;
    densityAdvice = 'Add body text: there is nothing to rank for';
  } else if (density < DENSITY_MIN_PERCENT) {
    densityPoints = (WEIGHTS.keywordDensity * density) / DENSITY_MIN_PERCENT;
    densityAdvice = `Keyword '${top}' makes up ${round1(density)}% of the words; use it more (${DENSITY_MIN_PERCENT}% to ${DENSITY_MAX_PERCENT}%)`;
  } else if (density > DENSITY_MAX_PERCENT) {
    // Every point over the range costs a quarter of the weight: stuffing is penalised quickly.
    densityPoints = WEIGHTS.keywordDensity * (1 - (density - DENSITY_MAX_PERCENT) / 4);
    densityAdvice = `Keyword '${top}' makes up ${round1(density)}% of the words; keep it between ${DENSITY_MIN_PERCENT}% and ${DENSITY_MAX_PERCENT}%`;
  } else {
    densityPoints = WEIGHTS.keywordDensity;
  }
  const keywordDensity = award('keywordDensity', densityPoints, densityAdvice);

  const titleChars = [...input.title.trim()].length;
  let titleLength: number;
  if (titleChars === 0) {
    titleLength = award(
      'titleLength',
      0,
      `Add a title of ${TITLE_MIN_CHARS} to ${TITLE_MAX_CHARS} characters`,
    );
  } else if (titleChars > TITLE_MAX_CHARS) {
    titleLength = award(
      'titleLength',
      WEIGHTS.titleLength - (titleChars - TITLE_MAX_CHARS),
      `Title is ${titleChars} characters; keep it under ${TITLE_MAX_CHARS}`,
    );
  } else if (titleChars < TITLE_MIN_CHARS) {
    titleLength = award(
      'titleLength',
      (WEIGHTS.titleLength * titleChars) / TITLE_MIN_CHARS,
      `Title is ${titleChars} characters; aim for ${TITLE_MIN_CHARS} to ${TITLE_MAX_CHARS}`,
    );
  } else {
    titleLength = award('titleLength', WEIGHTS.titleLength);
  }

  const meta = found.metaDescription;
  const metaChars = meta === undefined ? 0 : [...meta].length;
  let metaDescription: number;
  if (meta === undefined) {
    const summaryChars = [...(input.summary?.trim() ?? '')].length;
    const offer =
      summaryChars >= META_MIN_CHARS && summaryChars <= META_MAX_CHARS
        ? `; the summary (${summaryChars} characters) would fit`
        : '';
    metaDescription = award(
      'metaDescription',
      0,
      `Add a meta description of ${META_MIN_CHARS} to ${META_MAX_CHARS} characters${offer}`,
    );
  } else if (metaChars < META_MIN_CHARS || metaChars > META_MAX_CHARS) {
    metaDescription = award(
      'metaDescription',
      WEIGHTS.metaDescription / 2,
      `Meta description is ${metaChars} characters; keep it between ${META_MIN_CHARS} and ${META_MAX_CHARS}`,
    );
  } else {
    metaDescription = award('metaDescription', WEIGHTS.metaDescription);
  }

  const subject = topicWords(input.topic);
  const phrase = topicPhrase(input.topic);
  const topicInTitle = award(
    'topicInTitle',
    subject.length === 0 || containsAll(input.title, subject) ? WEIGHTS.topicInTitle : 0,
    `Put the topic '${phrase}' in the title`,
  );
  const topicInOpening = award(
    'topicInOpening',
    subject.length === 0 || containsAll(found.opening, subject) ? WEIGHTS.topicInOpening : 0,
    `Mention '${phrase}' in the first paragraph`,
  );

  const points = {
    length,
    headings,
    keywordDensity,
    titleLength,
    metaDescription,
    topicInTitle,
    topicInOpening,
  };
  const total = Object.values(points).reduce((sum, value) => sum + value, 0);
  return {
    score: Math.max(0, Math.min(100, Math.round(total))),
    keywords,
    // Stable sort: equal losses keep the order the criteria are listed in.
    recommendations: lost.sort((a, b) => b.points - a.points).map(({ text }) => text),
    points,
    wordCount,
    keywordDensity: round1(density),
  };
}
