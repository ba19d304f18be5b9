import type { CommandContext } from './context.ts';
import { render } from './output.ts';
import { checkWorkflowId } from './timeline.ts';

/** A workflow across agents, as the coordinator's GET /workflows/:id shows it. */
export interface WorkflowStatus {
  readonly workflow_id: string;
  readonly topic: string | null;
  readonly requested_by: string | null;
  readonly submitted_at: string | null;
  readonly research: {
    readonly state: string;
    readonly agent: string | null;
    readonly completed_at: string | null;
  };
  readonly claims: readonly {
    work_key: string;
    state: string;
    holder: string | null;
    epoch: number;
    decided_at: string;
  }[];
  readonly results: readonly {
    agent: string;
    format: string;
    title: string;
    result_id: string;
    epoch: number;
    body_bytes: number;
    written_at: string;
  }[];
  readonly skips: readonly { agent: string; outcome: string; reason: string }[];
  readonly seo: readonly { result_id: string; score: number }[];
  readonly audit: readonly { severity: string; findings: readonly string[] }[];
  readonly done: boolean;
  readonly waiting_for: readonly string[];
}

export function workflowStatus(
  context: CommandContext,
  workflowId: string,
): Promise<WorkflowStatus> {
  return context.request<WorkflowStatus>(
    'GET',
    `/workflows/${encodeURIComponent(checkWorkflowId(workflowId))}`,
  );
}

/** The workflow as lines: what each agent did with it, and whether it is done. */
export function formatWorkflow(status: WorkflowStatus): string {
  const line = (what: string, text: string) => `  ${what.padEnd(9)} ${text}`;
  const lines = [
    `${status.workflow_id}  ${status.topic ?? ''}${status.submitted_at ? `  submitted ${status.submitted_at.slice(0, 19)}` : ''}${status.requested_by ? ` by ${status.requested_by}` : ''}`,
    line(
      'research',
      `${status.research.state}${status.research.agent ? ` (${status.research.agent})` : ''}`,
    ),
    ...status.claims.map((claim) =>
      line(
        'claim',
        `${claim.work_key} ${claim.state}${claim.holder ? ` by ${claim.holder}` : ''} (epoch ${claim.epoch})`,
      ),
    ),
    ...status.results.map((result) => {
      const seo = status.seo.find((report) => report.result_id === result.result_id);
      return line(
        'written',
        `${result.agent}: ${result.format} "${result.title}" (epoch ${result.epoch}, ${result.body_bytes} bytes)${seo ? `; seo score ${seo.score}` : ''}`,
      );
    }),
    ...status.skips.map((skip) => line(skip.outcome, `${skip.agent}: ${skip.reason}`)),
    ...status.audit.map((audit) =>
      line('audit', `${audit.severity}${audit.findings[0] ? `: ${audit.findings[0]}` : ''}`),
    ),
    status.done ? '  done' : `  waiting for ${status.waiting_for.join(', ')}`,
  ];
  return lines.join('\n');
}

/** paxfleet workflow <workflow-id>: where one workflow stands, across agents. */
export async function workflowCommand(context: CommandContext, workflowId: string): Promise<void> {
  const status = await workflowStatus(context, workflowId);
  console.log(
    context.output === 'table'
      ? formatWorkflow(status)
      : render({ data: status, rows: [], columns: [] }, context.output),
  );
}
