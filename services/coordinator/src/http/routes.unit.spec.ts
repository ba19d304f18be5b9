import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { ClaimRecord, EventProducer } from '@paxfleet/events';
import { loadConfig } from '@paxfleet/core';
import { buildService, ReadinessRegistry, serviceConfig } from '@paxfleet/service';
import { captureLogs } from '@paxfleet/service/testing';
import { coordinatorConfig } from '../config.ts';
import { coordinatorRoutes } from './routes.ts';
import { TaskRouter } from '../routing/task-router.ts';

interface Sent {
  topic: string;
  key: string;
  value: { workflow_id: string; topic: string; brief: string };
  context: { workflowId: string; traceparent?: string };
}

function harness(lag = 0) {
  const sent: Sent[] = [];
  const producer = {
    send: (topic: string, key: string, value: Sent['value'], context: Sent['context']) => {
      sent.push({ topic, key, value, context });
      return Promise.resolve();
    },
  } as unknown as EventProducer;
  const router = new TaskRouter({
    routes: { research: { topic: 'research-tasks', group: 'paxfleet-research' } },
    producer,
    lag: () => Promise.resolve(lag),
    maxLag: 100,
    retryAfterSeconds: 7,
  });
  const record: ClaimRecord = {
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
  };
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
    routes: coordinatorRoutes({ router, board }),
  });
  return { app, sent };
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
    assert.equal(
      sent[0]?.context.traceparent,
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    );
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
      code: 'UNKNOWN_TASK_TYPE',
      message: 'unknown task type "poetry"; known types: research',
    });
    assert.equal(sent.length, 1);
  });

  it('rejects a bad body with a 400 that says what is wrong, and sends nothing', async () => {
    const { app, sent } = harness();
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
});

describe('coordinator config', () => {
  it('names the variable that is wrong', () => {
    assert.throws(() => loadConfig(coordinatorConfig, { MAX_TASK_LAG: 'lots' }), /MAX_TASK_LAG/);
  });
});
