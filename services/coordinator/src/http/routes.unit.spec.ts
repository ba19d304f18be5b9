import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI, OpenAPIV3_1 } from 'openapi-types';
import { Registry } from 'prom-client';
import {
  encodeRecord,
  eventRegistry,
  type ClaimRecord,
  type EventProducer,
  type OutgoingRecord,
} from '@paxfleet/events';
import { loadConfig } from '@paxfleet/core';
import { buildService, ReadinessRegistry, serviceConfig } from '@paxfleet/service';
import { captureLogs } from '@paxfleet/service/testing';
import { coordinatorConfig } from '../config.ts';
import { coordinatorRoutes } from './routes.ts';
import { coordinatorApiInfo } from './schemas.ts';
import { TaskRouter } from '../routing/task-router.ts';
import { WorkflowBook } from '../workflows/workflow-book.ts';

interface Sent {
  topic: string;
  key: string;
  value: { workflow_id: string; topic: string; brief: string };
  traceparent: string;
}

const registry = eventRegistry();

/** The producer's encoding as it is; only the send to Kafka is replaced by a list. */
function recordingProducer(sent: Sent[]): EventProducer {
  return {
    record: (...args: Parameters<EventProducer['record']>) =>
      encodeRecord(registry, 'coordinator', 1_048_576, ...args),
    sendRecords: (records: readonly OutgoingRecord[]) => {
      for (const record of records) {
        sent.push({
          topic: record.topic,
          key: record.key,
          value: registry.codecForTopic('research-tasks').decode(record.value).value,
          traceparent: record.headers.traceparent as string,
        });
      }
      return Promise.resolve();
    },
  } as unknown as EventProducer;
}

/** The guard a coordinator in a pod has: writes ask for a token, reads are open. */
const GUARDED = {
  access: { write: 'token', read: 'none', tokens: ['a-token-for-the-document'] },
  bodyLimit: 262_144,
} as const;

function harness(lag = 0, api?: typeof GUARDED) {
  const sent: Sent[] = [];
  const producer = recordingProducer(sent);
  const workflows = new WorkflowBook({
    catalog: registry.catalog,
    windowMs: 3_600_000,
    maxWorkflows: 100,
  });
  const router = new TaskRouter({
    routes: { research: { topic: 'research-tasks', group: 'paxfleet-research' } },
    producer,
    lag: () => Promise.resolve(lag),
    maxLag: 100,
    retryAfterSeconds: 7,
    onRouted: (task) => workflows.submitted(task),
  });
  // Through the codec, as the claim board reads it: nested records decode as class instances.
  const claims = registry.codecForTopic('content-claims');
  const written: ClaimRecord = {
    work_key: 'content:agent-tracing',
    state: 'held',
    holder: 'marketing',
    epoch: 3,
    lease_expires_at: Date.parse('2026-11-24T10:00:30Z'),
    decision: 'granted',
    request_id: 'r1',
    requester: 'marketing',
    reason: 'free',
    workflow_id: 'workflow_abc',
    format: 'blog_post',
    decided_at: Date.parse('2026-11-24T10:00:00Z'),
    subject: 'agent-tracing',
    overlap: {
      work_key: 'content:tracing-ai-agents',
      subject: 'tracing-ai-agents',
      holder: 'sales',
      state: 'completed',
      format: 'prospect_deck',
      score: 0.91,
      threshold: 0.6,
      method: 'lexical',
      action: 'grant',
    },
  };
  const record = claims.decode(claims.encode(written)).value;
  const board = {
    list: () => [record],
    get: (key: string) =>
      key === record.work_key ? { current: record, history: [record] } : undefined,
  };
  const app = buildService({
    config: loadConfig(serviceConfig({ serviceName: 'coordinator', port: 7070 }), {}),
    logger: captureLogs().logger,
    registry: new Registry(),
    readiness: new ReadinessRegistry(),
    routes: coordinatorRoutes({ router, board, workflows }),
    openapi: coordinatorApiInfo(registry.catalog),
    ...(api && { api }),
  });
  return { app, sent, workflows };
}

describe('coordinator HTTP', () => {
  it('POST /research starts a workflow on research-tasks and answers 202 with its id', async () => {
    const { app, sent } = harness();
    const response = await (
      await app
    ).inject({
      method: 'POST',
      url: '/research',
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      payload: { topic: 'agent-tracing', brief: 'Compare tracing tools' },
    });
    assert.equal(response.statusCode, 202);
    const body = response.json<{ workflow_id: string; routed_to: string }>();
    assert.match(body.workflow_id, /^workflow_[0-9a-z]{8}$/);
    assert.equal(body.routed_to, 'research-tasks');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.key, 'agent-tracing');
    assert.equal(sent[0]?.value.workflow_id, body.workflow_id);
    // Without the tracing SDK the record continues the request's trace as it came.
    assert.equal(sent[0]?.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    assert.equal(
      response.json<{ trace_id: string }>().trace_id,
      '0af7651916cd43dd8448eb211c80319c',
    );
  });

  it('a task without a traceparent starts a trace, and the answer names it', async () => {
    const { app, sent } = harness();
    const response = await (
      await app
    ).inject({ method: 'POST', url: '/research', payload: { topic: 'agent-tracing' } });
    const { trace_id, workflow_id } = response.json<{ trace_id: string; workflow_id: string }>();
    assert.match(trace_id, /^[0-9a-f]{32}$/);
    assert.equal(sent[0]?.traceparent.split('-')[1], trace_id);
    // Known at once, before the task's record is read back from the broker.
    const status = await (await app).inject({ method: 'GET', url: `/workflows/${workflow_id}` });
    assert.equal(status.json<{ topic: string }>().topic, 'agent-tracing');
  });

  it('POST /tasks routes by type and names the known types for an unknown one', async () => {
    const { app, sent } = harness();
    const ok = await (
      await app
    ).inject({ method: 'POST', url: '/tasks', payload: { type: 'research', topic: 'seo-trends' } });
    assert.equal(ok.statusCode, 202);
    const unknown = await (
      await app
    ).inject({ method: 'POST', url: '/tasks', payload: { type: 'poetry', topic: 'x' } });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(unknown.json(), {
      error: 'Bad Request',
      code: 'FST_ERR_VALIDATION',
      message: 'body/type must be equal to one of the allowed values: research',
    });
    assert.equal(sent.length, 1);
  });

  it('rejects a bad body with a 400 that says what is wrong, and sends nothing', async () => {
    const { app, sent } = harness();
    for (const [payload, message] of [
      [{ topic: 'kafka', brief: 5 }, 'body/brief must be string'],
      [{ topic: 'kafka', colour: 'red' }, 'body must NOT have additional properties'],
    ] as const) {
      const response = await (await app).inject({ method: 'POST', url: '/research', payload });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json<{ message: string }>().message, message);
    }
    const response = await (
      await app
    ).inject({ method: 'POST', url: '/research', payload: { topic: 'Not A Slug!' } });
    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ message: string }>().message, /topic must match pattern/);
    const missing = await (await app).inject({ method: 'POST', url: '/research', payload: {} });
    assert.match(
      missing.json<{ message: string }>().message,
      /must have required property 'topic'/,
    );
    assert.equal(sent.length, 0);
  });

  it('answers 429 with Retry-After when the research agent is backlogged', async () => {
    const { app, sent } = harness(250);
    const response = await (
      await app
    ).inject({ method: 'POST', url: '/research', payload: { topic: 'agent-tracing' } });
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '7');
    assert.equal(response.json<{ code: string }>().code, 'AGENT_BACKLOGGED');
    assert.match(
      response.json<{ message: string }>().message,
      /250 unread tasks, above the bound of 100/,
    );
    assert.equal(sent.length, 0);
  });

  it('shows claims with holder, epoch, lease and history; 404 for an unknown key', async () => {
    const { app } = harness();
    const list = await (await app).inject({ method: 'GET', url: '/claims' });
    assert.equal(
      list.json<{ claims: { holder: string; epoch: number; lease_expires_at: string }[] }>()
        .claims[0]?.holder,
      'marketing',
    );
    const one = await (await app).inject({ method: 'GET', url: '/claims/content:agent-tracing' });
    const body = one.json<{ epoch: number; lease_expires_at: string; history: unknown[] }>();
    assert.equal(body.epoch, 3);
    assert.equal(body.lease_expires_at, '2026-11-24T10:00:30.000Z');
    assert.equal(body.history.length, 1);
    const missing = await (await app).inject({ method: 'GET', url: '/claims/content:nothing' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ code: string }>().code, 'CLAIM_NOT_FOUND');
  });

  it('GET /workflows/:id: the status, a 404 naming the window, a 400 for what is no workflow id', async () => {
    const { app, workflows } = harness();
    workflows.observe({
      topic: 'research-tasks',
      partition: 0,
      offset: 0,
      timestamp: Date.now(),
      key: null,
      headers: { 'workflow-id': Buffer.from('workflow_7k2p9x0q') },
      value: {
        task_id: 't1',
        workflow_id: 'workflow_7k2p9x0q',
        topic: 'agent-tracing',
        brief: '',
        requested_by: 'cli',
        requested_at: Date.parse('2026-11-24T10:00:00Z'),
      },
    });
    const found = await (await app).inject({ method: 'GET', url: '/workflows/workflow_7k2p9x0q' });
    assert.equal(found.statusCode, 200);
    const status = found.json<{ topic: string; submitted_at: string; waiting_for: string[] }>();
    assert.equal(status.topic, 'agent-tracing');
    assert.equal(status.submitted_at, '2026-11-24T10:00:00.000Z');
    assert.equal(status.waiting_for[0], 'research');

    const missing = await (await app).inject({ method: 'GET', url: '/workflows/workflow_nothing' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), {
      error: 'Not Found',
      code: 'WORKFLOW_NOT_FOUND',
      message:
        'no record of workflow "workflow_nothing" in the last 1 h (WORKFLOW_HISTORY_MS) among the 100 newest workflows (WORKFLOW_MAX_TRACKED)',
    });
    const malformed = await (await app).inject({ method: 'GET', url: '/workflows/Robert%27);' });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.json<{ message: string }>().message, /params\/id must match pattern/);
  });
});

describe('coordinator config', () => {
  it('names the variable that is wrong', () => {
    assert.throws(() => loadConfig(coordinatorConfig, { MAX_TASK_LAG: 'lots' }), /MAX_TASK_LAG/);
  });
});

/** `METHOD /path/{param}` of every route in Fastify's printed route tree. */
function printedRoutes(tree: string): Set<string> {
  const routes = new Set<string>();
  const segments: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    segments.length = (match[1] ?? '').length / 4;
    segments.push(match[2] ?? '');
    const path = segments.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of match[3]?.split(', ') ?? []) routes.add(`${method} ${path}`);
  }
  return routes;
}

describe('the API document', () => {
  it('is valid OpenAPI 3.1 and describes exactly the routes the coordinator serves', async () => {
    const app = await harness().app;
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json<OpenAPI.Document & { openapi: string }>();
    assert.equal(document.openapi, '3.1.0');
    // validate() dereferences in place: it gets a copy.
    await SwaggerParser.validate(structuredClone(document));

    const registered = printedRoutes(app.printRoutes({ commonPrefix: false }));
    const served = [...registered].filter(
      // HEAD is Fastify's own for every GET; the document and its page are not in it.
      (route) => !route.startsWith('HEAD ') && !/ \/(docs|openapi\.json)/.test(route),
    );
    for (const route of registered) {
      if (route.startsWith('HEAD ')) assert.ok(registered.has(route.replace('HEAD', 'GET')), route);
    }
    const paths = (document.paths ?? {}) as Record<string, object>;
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(documented.sort(), served.sort());
    assert.ok(served.includes('GET /workflows/{id}') && served.includes('GET /metrics'));
  });

  it('asking for a token, stays valid and names the bearer scheme on the writes only', async () => {
    const app = await harness(0, GUARDED).app;
    const document = (
      await app.inject({ method: 'GET', url: '/openapi.json' })
    ).json<OpenAPIV3_1.Document>();
    await SwaggerParser.validate(structuredClone(document));
    for (const path of ['/research', '/tasks']) {
      const post = document.paths?.[path]?.post;
      assert.deepEqual(post?.security, [{ bearerAuth: [] }], path);
      assert.ok(post?.responses?.['401'] && post.responses['413'], path);
    }
    for (const path of ['/claims', '/workflows/{id}', '/healthz', '/metrics'])
      assert.equal(document.paths?.[path]?.get?.security, undefined, path);
    const refused = await app.inject({ method: 'POST', url: '/research', payload: { topic: 'x' } });
    assert.equal(refused.statusCode, 401);
    assert.equal((await app.inject({ url: '/claims' })).statusCode, 200);
  });

  it('gives every route its answers, errors included, and the 429 its Retry-After', async () => {
    const document = (
      await (await harness().app).inject({ method: 'GET', url: '/openapi.json' })
    ).json<OpenAPIV3_1.Document>();
    const research = document.paths?.['/research']?.post;
    assert.deepEqual(Object.keys(research?.responses ?? {}), ['202', '400', '429', '500']);
    const backlogged = research?.responses?.['429'] as OpenAPIV3_1.ResponseObject;
    assert.deepEqual(Object.keys(backlogged.headers ?? {}), ['retry-after']);
    const accepted = research?.responses?.['202'] as OpenAPIV3_1.ResponseObject;
    assert.deepEqual(accepted.links?.workflowStatus, {
      operationId: 'getWorkflow',
      parameters: { id: '$response.body#/workflow_id' },
    });
    const error = backlogged.content?.['application/json']?.schema as OpenAPIV3_1.SchemaObject;
    assert.deepEqual(error.required, ['error', 'code', 'message']);
    assert.deepEqual(Object.keys(document.paths?.['/workflows/{id}']?.get?.responses ?? {}), [
      '200',
      '400',
      '404',
      '500',
    ]);
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        const answers = Object.keys((operation as OpenAPIV3_1.OperationObject).responses ?? {});
        assert.ok(answers.includes('200') || answers.includes('202'), `${method} ${path}`);
      }
    }
  });

  it('serves Swagger UI from its own files, no CDN', async () => {
    const app = await harness().app;
    const page = await app.inject({ method: 'GET', url: '/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/);
    assert.doesNotMatch(page.body, /(src|href)="https?:/);
    const script = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    assert.equal(script.statusCode, 200);
  });
});
