import { readFileSync } from 'node:fs';
import { Type, type TSchema } from '@sinclair/typebox';
import type { TopicCatalog } from '@paxfleet/events';
import { errorReply, type OpenApiInfo, type RouteSchema } from '@paxfleet/service';

/** The document's title, the package's version and the catalog's summary of the coordinator. */
export function coordinatorApiInfo(catalog: TopicCatalog): OpenApiInfo {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return {
    title: 'paxfleet coordinator',
    version: manifest.version,
    description: `The coordinator ${catalog.agent('coordinator').summary}, and shows claims and workflows. Every error answer is { error, code, message }.`,
    // A submitted workflow's id leads to its status.
    links: (['/research', '/tasks'] as const).map((path) => ({
      path,
      method: 'post' as const,
      status: '202',
      name: 'workflowStatus',
      operationId: 'getWorkflow',
      parameters: { id: '$response.body#/workflow_id' },
    })),
  };
}

const slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,99}$',
  description: 'research topic slug',
});
const brief = Type.Optional(
  Type.String({ maxLength: 4000, description: 'What the research should cover.' }),
);
const requestedBy = Type.Optional(
  Type.String({ minLength: 1, maxLength: 100, description: 'Who asks; "api" when not given.' }),
);

export const ResearchBody = Type.Object(
  { topic: slug, brief, requested_by: requestedBy },
  { additionalProperties: false },
);
/** A task for the agent of `type`, one of the types the router knows (the document lists them). */
export function taskBody(types: readonly string[]) {
  return Type.Object(
    {
      // An enum (TypeBox writes a union of literals as anyOf), so a refusal lists the types.
      type: Type.Unsafe<string>({
        type: 'string',
        enum: [...types],
        description: 'The agent that takes the task.',
      }),
      topic: slug,
      brief,
      requested_by: requestedBy,
    },
    { additionalProperties: false },
  );
}
export type TaskBody = ReturnType<typeof taskBody>;

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const time = Type.String({ format: 'date-time' });

const Accepted = Type.Object(
  {
    workflow_id: Type.String({
      description: 'The new workflow: every record it causes carries it.',
    }),
    task_id: Type.String(),
    routed_to: Type.String({ description: 'The topic the task was written to.' }),
    trace_id: Type.String({
      pattern: '^[0-9a-f]{32}$',
      description: "The workflow's trace (W3C trace id), as Jaeger shows it.",
    }),
  },
  { additionalProperties: false, description: 'The task is on its topic; the workflow has begun.' },
);

const validation = errorReply(
  'The body does not match its schema (the message says where), or the task type is unknown.',
);
const backlogged = {
  ...errorReply('The agent has more unread tasks than MAX_TASK_LAG (code AGENT_BACKLOGGED).'),
  headers: {
    'retry-after': {
      type: 'integer',
      minimum: 1,
      description: 'Seconds to wait before submitting again (TASK_RETRY_AFTER_SECONDS).',
    },
  },
};
const failed = errorReply(
  'The coordinator failed (the log says why); the body names only the code.',
);

const submitResponses = { 202: Accepted, 400: validation, 429: backlogged, 500: failed };

export const researchSchema: RouteSchema = {
  operationId: 'submitResearch',
  summary: 'Start a research workflow',
  description:
    'Writes a research task on research-tasks. A traceparent header is continued; the answer names the trace.',
  tags: ['tasks'],
  body: ResearchBody,
  response: submitResponses,
};

export function taskSchema(types: readonly string[]): RouteSchema {
  return {
    operationId: 'submitTask',
    summary: 'Start a workflow with a task for the agent of the given type',
    tags: ['tasks'],
    body: taskBody(types),
    response: submitResponses,
  };
}

const Claim = Type.Object(
  {
    work_key: Type.String(),
    state: Type.Union([Type.Literal('free'), Type.Literal('held'), Type.Literal('completed')]),
    holder: nullable(Type.String()),
    epoch: Type.Integer({
      description: 'The fencing epoch: it rises each time the key changes hands.',
    }),
    lease_expires_at: nullable(time),
    completed_until: nullable(time),
    workflow_id: Type.String(),
    format: Type.String(),
    decision: Type.String(),
    requester: nullable(Type.String()),
    reason: Type.String(),
    decided_at: time,
    subject: Type.String({
      description: 'What the work is about; empty when the claim named none.',
    }),
    overlap: nullable(
      Type.Object(
        {
          work_key: Type.String(),
          subject: Type.String(),
          holder: nullable(Type.String()),
          state: Type.Union([Type.Literal('held'), Type.Literal('completed')]),
          format: Type.String(),
          score: Type.Number({ minimum: 0, maximum: 1 }),
          threshold: Type.Number({ minimum: 0, maximum: 1 }),
          method: Type.String(),
          action: Type.Union([Type.Literal('deny'), Type.Literal('grant')]),
        },
        {
          additionalProperties: false,
          description:
            'The other work this claim repeats, found by the overlap check: why it was denied (deny), or what it was granted beside (grant).',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const claimsSchema: RouteSchema = {
  operationId: 'listClaims',
  summary: "Every work key's current claim decision, newest first",
  tags: ['claims'],
  response: {
    200: Type.Object({ claims: Type.Array(Claim) }, { additionalProperties: false }),
    500: failed,
  },
};

export const claimSchema: RouteSchema = {
  operationId: 'getClaim',
  summary: "One work key's current claim and its recent decisions",
  tags: ['claims'],
  params: Type.Object({
    workKey: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'e.g. content:agent-tracing',
    }),
  }),
  response: {
    200: Type.Object(
      { ...Claim.properties, history: Type.Array(Claim) },
      { additionalProperties: false },
    ),
    400: errorReply('The work key is longer than 200 characters.'),
    404: errorReply('No decision for this key (code CLAIM_NOT_FOUND).'),
    500: failed,
  },
};

/** newWorkflowId's ids, and the shorter ones tests and tools make. */
export const WORKFLOW_ID_PATTERN = '^workflow_[0-9a-z_-]{1,64}$';

const WorkflowStatus = Type.Object(
  {
    workflow_id: Type.String(),
    topic: nullable(
      Type.String({ description: 'The research topic; null when no record read names it.' }),
    ),
    requested_by: nullable(Type.String()),
    submitted_at: nullable(time),
    research: Type.Object(
      {
        state: Type.Union([
          Type.Literal('pending'),
          Type.Literal('started'),
          Type.Literal('complete'),
          Type.Literal('failed'),
        ]),
        agent: nullable(Type.String()),
        completed_at: nullable(time),
      },
      { additionalProperties: false },
    ),
    claims: Type.Array(
      Type.Object(
        {
          work_key: Type.String(),
          state: Type.String(),
          holder: nullable(Type.String()),
          epoch: Type.Integer(),
          decided_at: time,
        },
        { additionalProperties: false },
      ),
      { description: "The workflow's latest decision on each work key it asked for." },
    ),
    results: Type.Array(
      Type.Object(
        {
          agent: Type.String(),
          format: Type.String(),
          title: Type.String(),
          result_id: Type.String(),
          epoch: Type.Integer(),
          body_bytes: Type.Integer(),
          written_at: time,
        },
        { additionalProperties: false },
      ),
    ),
    skips: Type.Array(
      Type.Object(
        { agent: Type.String(), outcome: Type.String(), reason: Type.String() },
        { additionalProperties: false },
      ),
      { description: 'Every event an agent handled without acting: skipped, stale or failed.' },
    ),
    seo: Type.Array(
      Type.Object(
        { result_id: Type.String(), score: Type.Number() },
        { additionalProperties: false },
      ),
    ),
    audit: Type.Array(
      Type.Object(
        { severity: Type.String(), findings: Type.Array(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    done: Type.Boolean({
      description:
        'Every writer in the catalog recorded an outcome for the analysis, and every result has its SEO report.',
    }),
    waiting_for: Type.Array(Type.String(), {
      description: 'What is still missing: "research", a writer\'s name, "seo for <result_id>".',
    }),
  },
  { additionalProperties: false },
);

export const workflowSchema: RouteSchema = {
  operationId: 'getWorkflow',
  summary: 'The status of one workflow across agents',
  description:
    'From the records of the last WORKFLOW_HISTORY_MS that carry its workflow-id header (research-tasks, research-events, agent-activity, content-results, seo-reports, audit-findings) and the claim log.',
  tags: ['workflows'],
  params: Type.Object({
    id: Type.String({ pattern: WORKFLOW_ID_PATTERN, description: 'e.g. workflow_7k2p9x0q' }),
  }),
  response: {
    200: WorkflowStatus,
    400: errorReply('The id is not a workflow id.'),
    404: errorReply('No record of the workflow in the window (code WORKFLOW_NOT_FOUND).'),
    500: failed,
  },
};
