import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { eventRegistry, type ClaimRecord, type Progress } from '@paxfleet/events';
import { buildService, silentLogger, tokenMatcher } from '@paxfleet/service';
import { FleetState, type SeenRecord } from './fleet-state.ts';
import { LiveHub } from './live.ts';
import { dashboardRoutes } from './routes.ts';
import { DASHBOARD_API, TOKEN_COOKIE } from './auth.ts';

const catalog = eventRegistry().catalog;
let offset = 0;

function record(topic: string, value: unknown, headers: Record<string, string> = {}): SeenRecord {
  offset += 1;
  return {
    topic,
    partition: 0,
    offset,
    timestamp: 1_000 + offset,
    key: 'k',
    headers: { producer: 'test', ...headers },
    bytes: 10,
    value,
  };
}

function progress(fields: Partial<Progress>): Progress {
  return {
    agent: 'marketing',
    instance: 'marketing-1',
    state: 'working',
    workflow_id: null,
    work_key: null,
    step: 0,
    total_steps: 0,
    status: '',
    at: 5_000,
    in_flight: 0,
    work: [],
    ...fields,
  };
}

function claim(fields: Partial<ClaimRecord>): ClaimRecord {
  return {
    work_key: 'content:a',
    state: 'held',
    holder: 'marketing',
    epoch: 1,
    lease_expires_at: 40_000,
    decision: 'granted',
    request_id: 'r',
    requester: 'marketing',
    reason: 'free',
    workflow_id: 'workflow_a',
    format: 'blog_post',
    decided_at: 10_000,
    subject: 'a',
    overlap: null,
    ...fields,
  };
}

const piece = (workflow: string, step: number) => ({
  workflow_id: workflow,
  work_key: `content:${workflow}`,
  step,
  total_steps: 5,
  status: `Writing draft (step ${step}/5)`,
});

function newState(now = 10_000) {
  return new FleetState({ catalog, maxRecordsPerTopic: 3, maxWorkflows: 2, clock: () => now });
}

describe('fleet state', () => {
  it('keeps each instance’s pieces in flight from heartbeats and step records', () => {
    const state = newState();
    state.observe(
      record(
        'agent-progress',
        progress({ in_flight: 2, work: [piece('w1', 1), piece('w2', 2)], status: '2 in flight' }),
      ),
    );
    state.observe(record('agent-progress', progress({ in_flight: 2, work: [piece('w1', 3)] })));
    assert.deepEqual(
      state.instances.get('marketing/marketing-1')?.work.map((work) => work.status),
      ['Writing draft (step 2/5)', 'Writing draft (step 3/5)'],
    );
    state.observe(record('agent-progress', progress({ state: 'idle', status: 'Idle' })));
    assert.deepEqual(state.instances.get('marketing/marketing-1')?.work, []);
  });

  it('follows claims, workflows and dead letters, each bounded', () => {
    const state = newState();
    state.observe(
      record(
        'research-tasks',
        { topic: 'kafka' },
        { 'workflow-id': 'workflow_a', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      ),
    );
    state.observe(record('content-claims', claim({}), { 'workflow-id': 'workflow_a' }));
    state.observe(
      record('content-claims', claim({ decision: 'renewed' }), { 'workflow-id': 'workflow_a' }),
    );
    state.observe(
      record(
        'content-results',
        { agent: 'marketing', title: 'T', topic: 'kafka' },
        { 'workflow-id': 'workflow_a' },
      ),
    );
    const workflow = state.workflows.get('workflow_a');
    assert.equal(workflow?.status, 'written');
    assert.equal(workflow?.topic, 'kafka');
    assert.equal(workflow?.traceId, 'a'.repeat(32));
    assert.deepEqual(
      state.decisions.map((decision) => decision.decision),
      ['granted'],
    );
    assert.equal(state.claims.get('content:a')?.history.length, 2);
    state.observe(record('research-tasks', { topic: 'b' }, { 'workflow-id': 'workflow_b' }));
    state.observe(record('research-tasks', { topic: 'c' }, { 'workflow-id': 'workflow_c' }));
    assert.deepEqual([...state.workflows.keys()], ['workflow_b', 'workflow_c'], 'the oldest goes');
    assert.equal(state.records.get('research-tasks')?.length, 3);
    assert.equal(state.counts.get('research-tasks'), 3);
    state.observe(
      record('dead-letters', {
        source_topic: 'research-tasks',
        source_partition: 1,
        source_offset: 7,
        headers: { 'workflow-id': Buffer.from('workflow_c') },
        value: Buffer.from('xx'),
      }),
    );
    assert.equal(state.workflows.get('workflow_c')?.failures, 1);
  });
});

async function dashboard(options: { token?: string; state?: FleetState } = {}) {
  const state = options.state ?? newState();
  const hub = new LiveHub(state, { minIntervalMs: 0 });
  const app = await buildService({
    config: {
      SERVICE_NAME: 'dashboard',
      AGENT_ID: 'dashboard',
      HOST: '127.0.0.1',
      PORT: 0,
      LOG_LEVEL: 'error',
      INSTANCE_ID: 'test',
    },
    logger: silentLogger,
    registry: new Registry(),
    ...(options.token && {
      api: {
        access: { write: 'loopback', read: 'token', tokens: [options.token] },
        bodyLimit: 65_536,
        ...DASHBOARD_API,
      },
    }),
    routes: dashboardRoutes({
      state,
      hub,
      ...(options.token && { signIn: tokenMatcher([options.token]) }),
      jaegerUrl: 'http://jaeger.test',
      groupOf: (agent) => agent.group,
      readWorkflow: () => Promise.resolve({ entries: [], bodies: new Map() }),
      topicEnds: () => new Map(),
      assets: { css: 'body{}', js: '// js' },
    }),
  });
  return { app, state, hub };
}

describe('dashboard routes', () => {
  it('serves every page at its URL, escaping what records say', async () => {
    const state = newState();
    state.observe(
      record(
        'research-tasks',
        { topic: 'x', brief: '<script>alert(1)</script>' },
        {
          'workflow-id': 'workflow_x',
        },
      ),
    );
    state.observe(record('content-claims', claim({ holder: '<b>sales</b>' })));
    const { app } = await dashboard({ state });
    for (const path of [
      '/fleet',
      '/claims',
      '/workflows',
      '/dead-letters',
      '/topics',
      '/topics/research-tasks',
      '/workflows/workflow_x',
    ]) {
      const response = await app.inject({ url: path, headers: { accept: 'text/html' } });
      assert.equal(response.statusCode, 200, `${path}: ${response.body}`);
      assert.match(response.headers['content-security-policy'] as string, /script-src 'self'/);
      assert.ok(!response.body.includes('<script>alert'), `${path} escapes`);
      assert.ok(!response.body.includes('<b>sales'), `${path} escapes`);
    }
    const topic = await app.inject({ url: '/topics/research-tasks' });
    assert.ok(topic.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.equal((await app.inject({ url: '/' })).headers.location, '/fleet');
  });

  it('says what is wrong with a bad request', async () => {
    const { app } = await dashboard();
    const cases: [string, number, RegExp][] = [
      ['/claims?agent=nobody', 400, /agent "nobody" is not one of coordinator/],
      ['/claims?colour=red', 400, /unknown query parameter "colour": this page takes agent, key/],
      ['/claims?key=a&key=b', 400, /"key" is given more than once/],
      ['/workflows?status=done', 400, /status "done" is not one of submitted/],
      ['/topics/nope', 404, /"nope" is not a topic of the catalog/],
      ['/workflows/%3Cscript%3E', 400, /is not a workflow id/],
      ['/nowhere', 404, /no route for GET \/nowhere/],
    ];
    for (const [url, status, message] of cases) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, status, url);
      assert.match(response.json<{ message: string }>().message, message, url);
    }
    const html = await app.inject({
      url: '/claims?agent=nobody',
      headers: { accept: 'text/html' },
    });
    assert.equal(html.statusCode, 400);
    assert.match(html.body, /agent &quot;nobody&quot; is not one of/);
  });

  it('asks for the bearer token when one is set, and signs a browser in', async () => {
    const token = 'a-token-of-enough-length';
    const { app } = await dashboard({ token });
    const none = await app.inject({ url: '/fleet' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="paxfleet"');
    assert.equal(none.json<{ code: string }>().code, 'AUTH_REQUIRED');
    assert.match(none.json<{ message: string }>().message, /or sign in at \/login$/);
    const wrong = await app.inject({ url: '/fleet', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.json<{ code: string }>().code, 'AUTH_INVALID');
    assert.equal(
      (await app.inject({ url: '/fleet', headers: { authorization: 'Basic x' } })).statusCode,
      401,
    );
    assert.equal(
      (await app.inject({ url: '/fleet', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
      200,
    );
    const page = await app.inject({ url: '/claims?agent=sales', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 401);
    assert.match(page.body, /name="next" value="\/claims\?agent=sales"/);
    assert.equal((await app.inject({ url: '/static/dashboard.css' })).statusCode, 200);
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token, next: '/claims' }).toString(),
    });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/claims');
    const cookie = String(login.headers['set-cookie']);
    assert.match(cookie, new RegExp(`^${TOKEN_COOKIE}=.*; HttpOnly; SameSite=Strict`));
    const signedIn = await app.inject({
      url: '/claims',
      headers: { cookie: cookie.split(';')[0] },
    });
    assert.equal(signedIn.statusCode, 200);
    const refused = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=wrong&next=//evil.example',
    });
    assert.equal(refused.statusCode, 401);
  });

  it('pushes a changed region over Server-Sent Events', async () => {
    const state = newState();
    const hub = new LiveHub(state, { minIntervalMs: 0 });
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    hub.subscribe(stream as unknown as ServerResponse, () => {
      const held = state.claims.get('content:a')?.current.holder ?? 'nobody';
      return new Map([['held', { text: `<p>${held}</p>` } as never]]);
    });
    assert.match(
      text,
      /retry: 2000\n\nevent: region\ndata: \{"id":"held","html":"<p>nobody<\/p>"\}/,
    );
    state.observe(record('content-claims', claim({})));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(text, /"html":"<p>marketing<\/p>"/);
    const before = text.length;
    state.observe(record('research-tasks', { topic: 'same' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(text.length, before, 'an unchanged region is not sent again');
    hub.close();
  });
});
