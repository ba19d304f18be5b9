import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isTraceparent, type ClaimRecord } from '@paxfleet/events';
import { HttpError } from '@paxfleet/service';
import type { ClaimView } from '../claims/claim-board.ts';
import type { TaskRouter } from '../routing/task-router.ts';
import type { WorkflowStatus } from '../workflows/workflow-book.ts';
import {
  claimSchema,
  claimsSchema,
  researchSchema,
  taskSchema,
  workflowSchema,
  type ResearchBody,
  type TaskBody,
} from './schemas.ts';

function claimJson(record: ClaimRecord) {
  return {
    work_key: record.work_key,
    state: record.state,
    holder: record.holder,
    epoch: record.epoch,
    lease_expires_at:
      record.state === 'held' ? new Date(record.lease_expires_at).toISOString() : null,
    completed_until:
      record.state === 'completed' ? new Date(record.lease_expires_at).toISOString() : null,
    workflow_id: record.workflow_id,
    format: record.format,
    decision: record.decision,
    requester: record.requester,
    reason: record.reason,
    decided_at: new Date(record.decided_at).toISOString(),
    subject: record.subject,
    // Decoded records are instances of the codec's classes, whose prototype methods a
    // schema check of the nullable branch would count as properties: a plain copy.
    overlap: record.overlap && { ...record.overlap },
  };
}

/** What the claim routes read: every key's current decision and recent history. */
export interface ClaimLookup {
  list(): ClaimRecord[];
  get(workKey: string): ClaimView | undefined;
}

/** What GET /workflows/:id reads, and the bounds it says it looks within when it finds nothing. */
export interface WorkflowLookup {
  get(id: string): WorkflowStatus | undefined;
  readonly windowMs: number;
  readonly maxWorkflows: number;
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Number(h.toFixed(2))} h` : `${Number((ms / 1000).toFixed(1))} s`;
}

export function coordinatorRoutes(deps: {
  router: TaskRouter;
  board: ClaimLookup;
  workflows: WorkflowLookup;
}) {
  return (app: FastifyInstance) => {
    const submit = async (
      type: string,
      body: Static<typeof ResearchBody>,
      traceparent: string | undefined,
      reply: FastifyReply,
    ) => {
      const result = await deps.router.route({
        type,
        topic: body.topic,
        ...(body.brief !== undefined && { brief: body.brief }),
        ...(body.requested_by !== undefined && { requestedBy: body.requested_by }),
        ...(traceparent && isTraceparent(traceparent) && { traceparent }),
      });
      switch (result.kind) {
        case 'routed':
          return reply.code(202).send({
            workflow_id: result.workflowId,
            task_id: result.taskId,
            routed_to: result.topic,
            trace_id: result.traceId,
          });
        case 'unknown-type':
          throw new HttpError(
            400,
            'UNKNOWN_TASK_TYPE',
            `unknown task type "${type}"; known types: ${result.known.join(', ')}`,
          );
        case 'backlogged':
          reply.header('retry-after', String(result.retryAfterSeconds));
          throw new HttpError(
            429,
            'AGENT_BACKLOGGED',
            `${type} has ${result.lag} unread tasks, above the bound of ${result.bound}; retry after ${result.retryAfterSeconds} s`,
          );
      }
    };

    app.post('/research', { schema: researchSchema }, (request, reply) =>
      submit(
        'research',
        request.body as Static<typeof ResearchBody>,
        request.headers.traceparent as string | undefined,
        reply,
      ),
    );

    app.post('/tasks', { schema: taskSchema(deps.router.types) }, (request, reply) => {
      const { type, ...body } = request.body as Static<TaskBody>;
      return submit(type, body, request.headers.traceparent as string | undefined, reply);
    });

    app.get('/claims', { schema: claimsSchema }, () => ({
      claims: deps.board.list().map(claimJson),
    }));

    app.get('/claims/:workKey', { schema: claimSchema }, (request) => {
      const { workKey } = request.params as { workKey: string };
      const view = deps.board.get(workKey);
      if (!view) {
        throw new HttpError(404, 'CLAIM_NOT_FOUND', `no claim decisions for work key "${workKey}"`);
      }
      return { ...claimJson(view.current), history: view.history.map(claimJson) };
    });

    app.get('/workflows/:id', { schema: workflowSchema }, (request) => {
      const { id } = request.params as { id: string };
      const status = deps.workflows.get(id);
      if (!status) {
        const { windowMs, maxWorkflows } = deps.workflows;
        throw new HttpError(
          404,
          'WORKFLOW_NOT_FOUND',
          `no record of workflow "${id}" in the last ${hours(windowMs)} (WORKFLOW_HISTORY_MS) among the ${maxWorkflows} newest workflows (WORKFLOW_MAX_TRACKED)`,
        );
      }
      return status;
    });
  };
}
