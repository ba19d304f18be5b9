import type { ModelProvider } from '@paxfleet/models';

export interface PolishOutcome {
  readonly recommendations: string[];
  /** How many lines the model's wording replaced. */
  readonly polished: number;
}

/** Numbers and quoted terms: what a rewrite must keep for the advice to stay true. */
function facts(text: string): string[] {
  return [...(text.match(/\d+(?:\.\d+)?%?/g) ?? []), ...(text.match(/'[^']+'/g) ?? [])];
}

function keepsFacts(original: string, rewrite: string): boolean {
  return facts(original).every((fact) => rewrite.includes(fact));
}

/**
 * Lets a real model reword the recommendations for readers. The offline provider is
 * skipped (its text is not advice, and the report stays exactly the computed one), and
 * a rewritten line is used only if it keeps every number and quoted term of the original.
 */
export async function polishRecommendations(
  model: ModelProvider,
  recommendations: readonly string[],
  context: { readonly title: string; readonly signal?: AbortSignal },
): Promise<PolishOutcome> {
  if (model.name === 'offline' || recommendations.length === 0) {
    return { recommendations: [...recommendations], polished: 0 };
  }
  const completion = await model.complete({
    system: 'You are an SEO editor. You rewrite advice so a writer can act on it at once.',
    prompt:
      `Rewrite each SEO recommendation for the article "${context.title}" as one clear sentence. ` +
      'Keep every number and every quoted term. Answer with exactly one line per recommendation, ' +
      `in the same order, without numbering:\n${recommendations.join('\n')}`,
    maxTokens: 60 * recommendations.length,
    temperature: 0,
    ...(context.signal && { signal: context.signal }),
  });
  const lines = completion.text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter((line) => line !== '');
  if (lines.length !== recommendations.length)
    return { recommendations: [...recommendations], polished: 0 };
  let polished = 0;
  const result = recommendations.map((original, index) => {
    const rewrite = lines[index] ?? '';
    if (rewrite === original || !keepsFacts(original, rewrite)) return original;
    polished += 1;
    return rewrite;
  });
  return { recommendations: result, polished };
}
