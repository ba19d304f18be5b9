import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isTraceparent, type ClaimRecord } from '@paxfleet/events';
import { HttpError } from '@paxfleet/service';
import type { ClaimView } from '../claims/claim-board.ts';
import type { TaskRouter } from '../routing/task-router.ts';

const slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,99}$',
  description: 'research topic slug',
});
const ResearchBody = Type.Object(
  {
    topic: slug,
    brief: Type.Optional(Type.String({ maxLength: 4000 })),
    requested_by: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
const TaskBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 50 }),
    topic: slug,
    brief: Type.Optional(Type.String({ maxLength: 4000 })),
    requested_by: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

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
  };
}

/** What the claim routes read: every key's current decision and recent history. */
export interface ClaimLookup {
  list(): ClaimRecord[];
  get(workKey: string): ClaimView | undefined;
}

export function coordinatorRoutes(deps: { router: TaskRouter; board: ClaimLookup }) {
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

    app.post('/research', { schema: { body: ResearchBody } }, (request, reply) =>
      submit(
        'research',
        request.body as Static<typeof ResearchBody>,
        request.headers.traceparent as string | undefined,
        reply,
      ),
    );

    app.post('/tasks', { schema: { body: TaskBody } }, (request, reply) => {
      const { type, ...body } = request.body as Static<typeof TaskBody>;
      return submit(type, body, request.headers.traceparent as string | undefined, reply);
    });

    app.get('/claims', () => ({ claims: deps.board.list().map(claimJson) }));

    app.get('/claims/:workKey', (request) => {
      const { workKey } = request.params as { workKey: string };
      const view = deps.board.get(workKey);
      if (!view) {
        throw new HttpError(404, 'CLAIM_NOT_FOUND', `no claim decisions for work key "${workKey}"`);
      }
      return { ...claimJson(view.current), history: view.history.map(claimJson) };
    });
  };
}
