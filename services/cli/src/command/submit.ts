import { HEADER, TopicReader, type TopicName } from '@paxfleet/events';
import { formatTimeline, timelineEntry } from '@paxfleet/timeline';
import type { CommandContext } from './context.ts';
import { CliError } from '../errors.ts';
import { render } from './output.ts';
import { formatWorkflow, workflowStatus, type WorkflowStatus } from './workflow.ts';

export interface SubmitFlags {
  readonly type: string;
  readonly brief?: string;
  readonly requestedBy: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
}

interface Accepted {
  readonly workflow_id: string;
  readonly task_id: string;
  readonly routed_to: string;
  readonly trace_id?: string;
}

/** The topics a workflow's steps are on, shown as they happen while waiting. */
const STEPS: readonly TopicName[] = [
  'research-events',
  'content-claims',
  'agent-activity',
  'content-results',
  'seo-reports',
  'audit-findings',
];
/** Producers' clocks differ: a step may carry a time a little before the submission. */
const CLOCK_SKEW_MS = 30_000;
const POLL_MS = 1_000;

/**
 * paxfleet submit <topic>: a task through the coordinator's API. With --wait it follows the
 * workflow's records live until every agent has done its part, then shows the summary.
 */
export async function submitCommand(
  context: CommandContext,
  topic: string,
  flags: SubmitFlags,
): Promise<void> {
  const submittedAt = Date.now();
  const body = {
    topic,
    requested_by: flags.requestedBy,
    ...(flags.brief !== undefined && { brief: flags.brief }),
  };
  const accepted =
    flags.type === 'research'
      ? await context.request<Accepted>('POST', '/research', body)
      : await context.request<Accepted>('POST', '/tasks', { type: flags.type, ...body });
  if (!flags.wait) {
    console.log(
      context.output === 'table'
        ? `submitted ${topic}: ${accepted.workflow_id} (task ${accepted.task_id} on ${accepted.routed_to}${accepted.trace_id ? `, trace ${accepted.trace_id}` : ''})`
        : render({ data: accepted, rows: [], columns: [] }, context.output),
    );
    return;
  }
  if (context.output === 'table')
    console.log(`submitted ${topic}: ${accepted.workflow_id}; waiting`);
  const status = await waitForWorkflow(context, accepted.workflow_id, submittedAt, flags.timeoutMs);
  console.log(
    context.output === 'table'
      ? formatWorkflow(status)
      : render({ data: { ...accepted, status }, rows: [], columns: [] }, context.output),
  );
}

async function waitForWorkflow(
  context: CommandContext,
  workflowId: string,
  since: number,
  timeoutMs: number,
): Promise<WorkflowStatus> {
  const reader = new TopicReader(context.connection, context.registry, {
    clientId: 'paxfleet-submit',
  });
  const live = context.output === 'table';
  await reader.connect();
  try {
    const starts = (
      await Promise.all(
        STEPS.map((topic) => reader.everyPartition(topic, { atOrAfter: since - CLOCK_SKEW_MS })),
      )
    ).flat();
    await reader.follow(
      starts,
      (record) => {
        if (live) console.log(formatTimeline([timelineEntry(record, record.value, 'broker')]));
      },
      (record) => record.headers[HEADER.workflowId]?.toString('utf8') === workflowId,
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await workflowStatus(context, workflowId).catch((error: unknown) => {
        // Until the coordinator has read the task, the workflow is not known to it yet.
        if (error instanceof CliError && error.code === 'CLI_NOT_FOUND') return undefined;
        throw error;
      });
      if (status?.done) return status;
      if (Date.now() > deadline)
        throw new CliError(
          'CLI_TIMED_OUT',
          `${workflowId} is not done after ${Math.round(timeoutMs / 1000)} s; waiting for ${status?.waiting_for.join(', ') ?? 'the coordinator to see it'} (paxfleet workflow ${workflowId} shows where it stands)`,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await reader.close();
  }
}
