import type { ModelCallRecord } from './model-ledger.ts';

/** What an agent may spend on its model in any window (AGENT_BUDGET_*). */
export interface BudgetLimits {
  readonly tokens?: number;
  readonly usd?: number;
  readonly windowMs: number;
}

export interface Spend {
  readonly tokens: number;
  readonly usd: number;
}

export type BudgetVerdict =
  | { readonly exceeded: false; readonly spent: Spend }
  | {
      readonly exceeded: true;
      readonly spent: Spend;
      /** What tripped, with its limit: `tokens 1200 of 1000`. */
      readonly reason: string;
      /** When enough of the spend has left the window for work to go on (epoch ms). */
      readonly resumeAt: number;
    };

interface Spent {
  readonly at: number;
  readonly tokens: number;
  readonly usd: number;
}

/**
 * An agent's model spend over a sliding window: every call of the agent, counted once
 * by its call id, whether this instance made it or another's ledger record told of it.
 * Replayed calls cost nothing and are not counted.
 */
export class SpendWindow {
  readonly #limits: BudgetLimits;
  readonly #calls = new Map<string, Spent>();

  constructor(limits: BudgetLimits) {
    this.#limits = limits;
  }

  get limited(): boolean {
    return this.#limits.tokens !== undefined || this.#limits.usd !== undefined;
  }

  add(call: ModelCallRecord): void {
    if (call.outcome === 'replayed' || this.#calls.has(call.call_id)) return;
    this.#calls.set(call.call_id, {
      at: call.recorded_at,
      tokens: call.prompt_tokens + call.completion_tokens,
      usd: call.cost_usd,
    });
  }

  judge(now: number): BudgetVerdict {
    const from = now - this.#limits.windowMs;
    for (const [id, call] of this.#calls) if (call.at <= from) this.#calls.delete(id);
    const calls = [...this.#calls.values()].sort((a, b) => a.at - b.at);
    const spent = sum(calls);
    const reason = this.#over(spent);
    if (!reason) return { exceeded: false, spent };
    // The oldest calls leave the window first: work goes on once the rest is under every limit.
    let left = spent;
    let resumeAt = now;
    for (const call of calls) {
      left = { tokens: left.tokens - call.tokens, usd: left.usd - call.usd };
      resumeAt = call.at + this.#limits.windowMs;
      if (!this.#over(left)) break;
    }
    return { exceeded: true, spent, reason, resumeAt };
  }

  #over(spent: Spend): string | undefined {
    const { tokens, usd } = this.#limits;
    if (tokens !== undefined && spent.tokens >= tokens)
      return `tokens ${spent.tokens} of ${tokens}`;
    if (usd !== undefined && spent.usd >= usd) return `usd ${spent.usd.toFixed(4)} of ${usd}`;
    return undefined;
  }
}

function sum(calls: readonly Spent[]): Spend {
  return calls.reduce(
    (total, call) => ({ tokens: total.tokens + call.tokens, usd: total.usd + call.usd }),
    {
      tokens: 0,
      usd: 0,
    },
  );
}
