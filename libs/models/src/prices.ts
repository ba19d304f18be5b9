import { Type, type Static } from '@sinclair/typebox';

/** What a model costs, in US dollars per million tokens, read and written. */
export const ModelPrice = Type.Object(
  {
    input: Type.Number({ minimum: 0, description: 'USD per million prompt tokens' }),
    output: Type.Number({ minimum: 0, description: 'USD per million completion tokens' }),
  },
  { additionalProperties: false },
);
export type ModelPrice = Static<typeof ModelPrice>;

const PER_MILLION = 1_000_000;

/** Prices by model name, as MODEL_PRICES gives them; a model it does not list costs 0. */
export class PriceTable {
  readonly #prices: ReadonlyMap<string, ModelPrice>;

  constructor(prices: Readonly<Record<string, ModelPrice>> = {}) {
    this.#prices = new Map(Object.entries(prices));
  }

  priced(model: string): boolean {
    return this.#prices.has(model);
  }

  /** US dollars for one call. */
  cost(model: string, promptTokens: number, completionTokens: number): number {
    const price = this.#prices.get(model);
    if (!price) return 0;
    return (promptTokens * price.input + completionTokens * price.output) / PER_MILLION;
  }
}
