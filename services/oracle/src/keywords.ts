import { isContentWord } from '@paxfleet/text';

/** What the keyword API is asked about. */
export interface KeywordRequest {
  /** The research topic slug, for example agent-tracing. */
  readonly topic: string;
  readonly text: string;
}

/** Ranks keywords for a text: the external audit API, or the local stand-in. */
export interface KeywordSource {
  /** For logs: "local" or the API's address. */
  readonly name: string;
  keywords(request: KeywordRequest, signal?: AbortSignal): Promise<string[]>;
}

export const DEFAULT_KEYWORD_LIMIT = 8;

/** Runs of words within one sentence or line; a phrase never spans two. */
function sentences(text: string): string[][] {
  return text
    .toLowerCase()
    .split(/[.!?;:,()[\]{}"\n\r|]+/)
    .map((part) => part.match(/[a-z0-9]+(?:['-][a-z0-9]+)*/g) ?? []);
}

/**
 * Local keyword recommendations by term frequency: content words, and two-word phrases
 * that recur (a repeated phrase counts double, so "agent tracing" outranks "agent"). A
 * word used mostly inside a chosen phrase is not listed again on its own.
 * Ties keep the order of first use; the same text always gives the same list.
 */
export function recommendKeywords(text: string, limit = DEFAULT_KEYWORD_LIMIT): string[] {
  const words = new Map<string, number>();
  const phrases = new Map<string, number>();
  for (const run of sentences(text)) {
    for (const [index, word] of run.entries()) {
      if (!isContentWord(word)) continue;
      words.set(word, (words.get(word) ?? 0) + 1);
      const next = run[index + 1];
      if (next !== undefined && isContentWord(next) && next !== word) {
        const phrase = `${word} ${next}`;
        phrases.set(phrase, (phrases.get(phrase) ?? 0) + 1);
      }
    }
  }
  const candidates: { term: string; score: number; count: number }[] = [];
  for (const [phrase, count] of phrases) {
    if (count >= 2) candidates.push({ term: phrase, score: 2 * count, count });
  }
  for (const [word, count] of words) candidates.push({ term: word, score: count, count });
  // Stable: phrases first on equal scores, then order of first use.
  candidates.sort((a, b) => b.score - a.score);

  const chosen: string[] = [];
  const inPhrases = new Map<string, number>();
  for (const { term, count } of candidates) {
    if (chosen.length >= limit) break;
    const parts = term.split(' ');
    // A word used mostly inside chosen phrases adds nothing of its own.
    if (parts.length === 1 && 2 * (inPhrases.get(term) ?? 0) >= count) continue;
    chosen.push(term);
    if (parts.length > 1)
      for (const part of parts) inPhrases.set(part, (inPhrases.get(part) ?? 0) + count);
  }
  return chosen;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How often a keyword occurs in a text, as whole words; a phrase's words may be joined by a hyphen. */
export function mentions(text: string, keyword: string): number {
  const parts = keyword
    .toLowerCase()
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(escapeRegExp);
  if (parts.length === 0) return 0;
  const pattern = new RegExp(`(?<![a-z0-9])${parts.join('[\\s-]+')}(?![a-z0-9])`, 'g');
  return text.toLowerCase().match(pattern)?.length ?? 0;
}

/** The default when no audit API is configured: no network, deterministic. */
export class LocalKeywordRecommender implements KeywordSource {
  readonly name = 'local';
  readonly #limit: number;

  constructor(limit = DEFAULT_KEYWORD_LIMIT) {
    this.#limit = limit;
  }

  keywords(request: KeywordRequest): Promise<string[]> {
    return Promise.resolve(recommendKeywords(request.text, this.#limit));
  }
}
