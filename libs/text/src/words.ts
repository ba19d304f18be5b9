/** English words too common to say what a text is about. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each even every few for from ' +
    'further get gets had has have having he her here hers him his how however i if in into is it its ' +
    'itself just less let like made make makes many may me might more most much must my no nor not now ' +
    'of off often on once one only or other our ours out over own per rather same she should so some ' +
    'such than that the their theirs them then there these they this those through thus to too under ' +
    'until up upon us use used using very was we well were what when where whether which while who ' +
    'whom why will with within without would yet you your yours'
  ).split(' '),
);

const TOKEN = /[a-z0-9]+(?:['-][a-z0-9]+)*/g;

function isWord(token: string): boolean {
  return token.length >= 3 && /[a-z]/.test(token);
}

/** Lower-case words of at least three letters, hyphenated ones kept whole, numbers left out. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(TOKEN) ?? []).filter(isWord);
}

/** A word that carries meaning: at least three letters, not a number, not a stop word. */
export function isContentWord(word: string): boolean {
  return isWord(word) && !STOP_WORDS.has(word);
}

/** The words of a topic slug that carry meaning: agent-tracing → agent, tracing. */
export function topicWords(topic: string): string[] {
  return words(topic.replace(/[-_]+/g, ' ')).filter((word) => !STOP_WORDS.has(word));
}
