import { describeAge } from '@paxfleet/agent-kit';
import type { Severity } from '@paxfleet/events';
import { topicWords } from '@paxfleet/text';
import { mentions } from './keywords.ts';

export interface Audit {
  readonly findings: string[];
  readonly severity: Severity;
}

/** How many of the research's top keywords content is checked for. */
export const CHECKED_KEYWORDS = 5;

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };
const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

function ordinal(index: number): string {
  return ORDINALS[index] ?? `#${index + 1}`;
}

class Findings {
  readonly #lines: string[] = [];
  #severity: Severity = 'info';

  add(severity: Severity, line: string): void {
    this.#lines.push(line);
    if (RANK[severity] > RANK[this.#severity]) this.#severity = severity;
  }

  done(): Audit {
    return { findings: [...this.#lines], severity: this.#severity };
  }
}

function phrase(topic: string): string {
  return topic.replace(/[-_]+/g, ' ');
}

/** Audited although over the age limit: say so, the reader should know it was checked. */
function ageNote(findings: Findings, ageMs: number, maxAgeMs: number, what: string): void {
  if (ageMs > maxAgeMs) {
    findings.add(
      'info',
      `Audited a ${describeAge(ageMs)} old event: it is still the newest ${what}`,
    );
  }
}

export interface ResearchAuditInput {
  readonly topic: string;
  /** Ranked, most important first. */
  readonly keywords: readonly string[];
  readonly summary: string | null;
  readonly ageMs: number;
  readonly maxAgeMs: number;
}

/** Keyword recommendations for a research analysis, and whether they are about its topic at all. */
export function auditResearch(input: ResearchAuditInput): Audit {
  const findings = new Findings();
  const about = phrase(input.topic);
  if (input.keywords.length === 0) {
    findings.add('warning', `No keywords could be derived from the research on '${about}'`);
  } else {
    findings.add('info', `Recommended keywords for '${about}': ${input.keywords.join(', ')}`);
    const wanted = topicWords(input.topic);
    const used = new Set(
      input.keywords.flatMap((keyword) => keyword.toLowerCase().split(/[\s-]+/)),
    );
    if (wanted.length > 0 && !wanted.some((word) => used.has(word))) {
      findings.add(
        'warning',
        `Keywords for '${about}' include no word of the topic (${wanted.map((word) => `'${word}'`).join(', ')}); ` +
          `the analysis may be about something else: it ranks '${input.keywords[0]}' first`,
      );
    }
  }
  if (input.summary === null || input.summary.trim() === '') {
    findings.add('info', 'The research event carries no summary');
  }
  ageNote(findings, input.ageMs, input.maxAgeMs, `research on '${input.topic}'`);
  return findings.done();
}

export interface ContentAuditInput {
  readonly topic: string;
  readonly workKey: string;
  /** The research's ranked keywords; undefined when no research on the topic has been seen. */
  readonly researchKeywords: readonly string[] | undefined;
  readonly content: string;
  readonly ageMs: number;
  readonly maxAgeMs: number;
}

/** Checks content against the research it was written from: are the research's top keywords in it? */
export function auditContent(input: ContentAuditInput): Audit {
  const findings = new Findings();
  if (input.researchKeywords === undefined) {
    findings.add(
      'warning',
      `No research on '${phrase(input.topic)}' has been seen; the content could not be checked against it`,
    );
  } else {
    const checked = input.researchKeywords.slice(0, CHECKED_KEYWORDS);
    const missing = checked
      .map((keyword, index) => ({ keyword, index, count: mentions(input.content, keyword) }))
      .filter(({ count }) => count === 0);
    for (const { keyword, index } of missing) {
      findings.add(
        index === 0 ? 'critical' : 'warning',
        `Content mentions '${keyword}' 0 times although research ranks it ${ordinal(index)}`,
      );
    }
    if (checked.length > 0 && missing.length === 0) {
      findings.add(
        'info',
        `Content covers all ${checked.length} top research keywords: ${checked.join(', ')}`,
      );
    }
  }
  ageNote(findings, input.ageMs, input.maxAgeMs, `result for ${input.workKey}`);
  return findings.done();
}
