import { STOP_WORDS } from '@paxfleet/text';
import { stem } from './stem.ts';
import { FILLER_WORDS, GENERIC_WORDS, SYNONYM_GROUPS } from './vocabulary.ts';

/** One word of a subject as the lexical method compares it. */
export interface Term {
  /** The canonical stem: `k8s`, `kubernetes` and `Kubernetes` are all `kubernet`. */
  readonly stem: string;
  /** The words it came from, joined: what a compound (`multicloud`) is matched against. */
  readonly surface: string;
  /** 1 for a word that says what the work is, less for a generic one (platform, strategy). */
  readonly weight: number;
}

/** How much a generic word counts against one that says what the work is. */
export const GENERIC_WEIGHT = 0.35;

/** A number of one or two digits after a word is its version: soc-2 is soc2, oauth-2 is oauth2. */
const VERSION = /^[0-9]{1,2}$/;

/** The words of a subject: lower case, split on anything but letters and digits, stop words out. */
export function subjectWords(subject: string): string[] {
  const tokens = subject
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined: string[] = [];
  for (const token of tokens) {
    const previous = joined.at(-1);
    if (VERSION.test(token) && previous !== undefined && /[a-z]$/.test(previous)) {
      joined[joined.length - 1] = previous + token;
    } else {
      joined.push(token);
    }
  }
  return joined.filter((word) => !STOP_WORDS.has(word));
}

function stems(phrase: string): string[] {
  return subjectWords(phrase).map(stem);
}

/** Phrase (stems joined by spaces) → its canonical stems; filler maps to none. */
const PHRASES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...SYNONYM_GROUPS.flatMap((group) => {
    const canonical = stems(group[0] ?? '');
    return group.slice(1).map((variant) => [stems(variant).join(' '), canonical] as const);
  }),
  ...FILLER_WORDS.map((filler) => [stems(filler).join(' '), []] as const),
]);

const LONGEST_PHRASE = Math.max(...[...PHRASES.keys()].map((phrase) => phrase.split(' ').length));

const GENERIC_STEMS: ReadonlySet<string> = new Set(
  GENERIC_WORDS.map((word) => stems(word).join(' ')),
);

/** Replaces the longest known phrase at each position; true when anything changed. */
function canonicalise(terms: { stem: string; surface: string }[]): boolean {
  let changed = false;
  for (let i = 0; i < terms.length; i++) {
    for (let length = Math.min(LONGEST_PHRASE, terms.length - i); length >= 1; length--) {
      const span = terms.slice(i, i + length);
      const replacement = PHRASES.get(span.map((term) => term.stem).join(' '));
      if (replacement === undefined) continue;
      const surface = span.map((term) => term.surface).join('');
      terms.splice(i, length, ...replacement.map((canonical) => ({ stem: canonical, surface })));
      i += replacement.length - 1;
      changed = true;
      break;
    }
  }
  return changed;
}

/**
 * The terms of a subject in order: stop words dropped, words stemmed, synonyms and
 * abbreviations replaced by their canonical form (again on the result, so "multiple ai
 * agents" becomes "multiple agents" then "multiagent"), filler dropped, each stem once.
 * A subject made only of filler keeps its stems: it is about those words.
 */
export function subjectTerms(subject: string): Term[] {
  const words = subjectWords(subject);
  const terms = words.map((word) => ({ stem: stem(word), surface: word }));
  for (let pass = 0; pass < 3; pass++) if (!canonicalise(terms)) break;
  const kept =
    terms.length > 0 ? terms : words.map((word) => ({ stem: stem(word), surface: word }));
  const seen = new Set<string>();
  const unique: Term[] = [];
  for (const term of kept) {
    if (seen.has(term.stem)) continue;
    seen.add(term.stem);
    unique.push({ ...term, weight: GENERIC_STEMS.has(term.stem) ? GENERIC_WEIGHT : 1 });
  }
  return unique;
}
