import type { Bodies } from '@paxfleet/events';
import { workflowCost, type TimelineEntry, type WorkflowCost } from '@paxfleet/timeline';

/** What a shadow replay is compared on: what the agents decided, the claims, what they produced, the cost. */
export interface RunSummary {
  /** `marketing analysis_complete: skipped (already claimed by content)` */
  readonly decisions: readonly string[];
  /** `granted content:kafka to content` (renewals left out: their number follows timing). */
  readonly claims: readonly string[];
  /** Per output record, `<topic> <producer> <event type>` and its content. */
  readonly outputs: ReadonlyMap<string, string>;
  readonly cost: WorkflowCost;
}

export interface RunDiff {
  readonly decisions: { readonly missing: string[]; readonly added: string[] };
  readonly claims: { readonly missing: string[]; readonly added: string[] };
  /** Outputs whose content differs, or that only one run has. */
  readonly outputs: {
    readonly what: string;
    readonly original?: string;
    readonly replay?: string;
  }[];
  readonly cost: { readonly original: WorkflowCost; readonly replay: WorkflowCost };
  readonly empty: boolean;
}

/** The topics whose records are a run's outputs. */
export const OUTPUT_TOPICS: readonly string[] = [
  'research-events',
  'content-results',
  'seo-reports',
  'audit-findings',
];
/** Fields that differ between any two runs of the same work: ids, times, where a body is stored. */
const VOLATILE = /(^|_)(id|at|ms|timestamp|path|ref|epoch)$/;

/** The comparable content of one run of a workflow: bodies stored by reference are read. */
export async function summarizeRun(
  entries: readonly TimelineEntry[],
  bodies: Bodies,
): Promise<RunSummary> {
  const decisions: string[] = [];
  const claims: string[] = [];
  const outputs = new Map<string, string>();
  for (const entry of entries) {
    const value = entry.value as Record<string, unknown>;
    if (entry.topic === 'agent-activity') {
      // Claimed or completed by the winner is one decision: which one follows timing.
      const said = String(value.reason).replace(/^already (claimed|completed) by /, 'held by ');
      const reason = value.reason ? ` (${said})` : '';
      decisions.push(
        `${String(value.agent)} ${String(value.event_type)}: ${String(value.outcome)}${reason}`,
      );
    } else if (entry.topic === 'content-claims' && value.decision !== 'renewed') {
      claims.push(`${String(value.decision)} ${String(value.work_key)} to ${String(value.holder)}`);
    } else if (OUTPUT_TOPICS.includes(entry.topic)) {
      const stored =
        value.body === undefined
          ? undefined
          : {
              body: value.body as string | null,
              ref: (value.output_path ?? value.body_ref ?? '') as string,
            };
      const content = Object.fromEntries(
        Object.entries(value).filter(([key]) => !VOLATILE.test(key) && key !== 'body'),
      );
      if (stored) content.body = await bodies.get(stored);
      let what = `${entry.topic} ${entry.producer} ${entry.eventType}`;
      for (let n = 2; outputs.has(what); n += 1)
        what = `${entry.topic} ${entry.producer} ${entry.eventType} #${n}`;
      outputs.set(what, JSON.stringify(content));
    }
  }
  return {
    decisions: decisions.sort(),
    claims: claims.sort(),
    outputs,
    cost: workflowCost(entries),
  };
}

/** Items of `a` not in `b`, counting repeats. */
function without(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  return a.filter((item) => {
    const index = left.indexOf(item);
    if (index < 0) return true;
    left.splice(index, 1);
    return false;
  });
}

export function diffRuns(original: RunSummary, replay: RunSummary): RunDiff {
  const outputs: RunDiff['outputs'] = [];
  for (const what of new Set([...original.outputs.keys(), ...replay.outputs.keys()])) {
    const before = original.outputs.get(what);
    const after = replay.outputs.get(what);
    if (before !== after)
      outputs.push({
        what,
        ...(before !== undefined && { original: before }),
        ...(after !== undefined && { replay: after }),
      });
  }
  const decisions = {
    missing: without(original.decisions, replay.decisions),
    added: without(replay.decisions, original.decisions),
  };
  const claims = {
    missing: without(original.claims, replay.claims),
    added: without(replay.claims, original.claims),
  };
  const sameCost =
    original.cost.calls === replay.cost.calls &&
    original.cost.promptTokens === replay.cost.promptTokens &&
    original.cost.completionTokens === replay.cost.completionTokens;
  return {
    decisions,
    claims,
    outputs,
    cost: { original: original.cost, replay: replay.cost },
    empty:
      decisions.missing.length +
        decisions.added.length +
        claims.missing.length +
        claims.added.length +
        outputs.length ===
        0 && sameCost,
  };
}

const clip = (text: string) => (text.length > 72 ? `${text.slice(0, 69)}...` : text);

/** The diff as a person reads it: what changed, section by section; `no differences` when none did. */
export function formatDiff(diff: RunDiff): string {
  const lines: string[] = [];
  const list = (title: string, part: { missing: string[]; added: string[] }) => {
    if (part.missing.length + part.added.length === 0) return lines.push(`${title}: same`);
    lines.push(`${title}:`);
    for (const item of part.missing) lines.push(`  - ${item}`);
    for (const item of part.added) lines.push(`  + ${item}`);
  };
  list('decisions', diff.decisions);
  list('claims', diff.claims);
  if (diff.outputs.length === 0) lines.push('outputs: same');
  else {
    lines.push(`outputs: ${diff.outputs.length} differ`);
    for (const output of diff.outputs) {
      lines.push(`  ~ ${output.what}`);
      if (output.original === undefined || output.replay === undefined) {
        lines.push(
          `    original: ${output.original === undefined ? '(none)' : clip(output.original)}`,
        );
        lines.push(`    replay:   ${output.replay === undefined ? '(none)' : clip(output.replay)}`);
        continue;
      }
      // Both runs wrote it: the fields that differ.
      const before = JSON.parse(output.original) as Record<string, unknown>;
      const after = JSON.parse(output.replay) as Record<string, unknown>;
      for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
        const was = JSON.stringify(before[field]) ?? '(none)';
        const is = JSON.stringify(after[field]) ?? '(none)';
        if (was !== is) lines.push(`    ${field}: ${clip(was)} -> ${clip(is)}`);
      }
    }
  }
  const cost = (c: WorkflowCost) =>
    `${c.calls} calls, ${c.promptTokens} tokens in, ${c.completionTokens} out, $${c.usd.toFixed(4)}`;
  lines.push(`cost: original ${cost(diff.cost.original)}; replay ${cost(diff.cost.replay)}`);
  lines.push(diff.empty ? 'no differences' : 'differences found');
  return lines.join('\n');
}
