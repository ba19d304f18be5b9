import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { buildService } from './app.ts';
import { loadConfig } from '@paxfleet/core';
import { serviceConfig } from './service-config.ts';
import { ServiceError } from './errors.ts';
import { captureLogs } from './testing.ts';

const TaskBody = Type.Object(
  {
    topic: Type.String({ pattern: '^[a-z0-9-]+$' }),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  },
  { additionalProperties: false },
);

async function testService(level: 'debug' | 'info' = 'debug') {
  const logs = captureLogs({ agent: 'coordinator', level });
  const config = loadConfig(serviceConfig({ serviceName: 'coordinator', port: 8080 }), {});
  const app = await buildService({
    config,
    logger: logs.logger,
    registry: new Registry(),
    routes: (routes) => {
      routes.post('/tasks', { schema: { body: TaskBody } }, async (request, reply) =>
        reply.code(202).send({ accepted: request.body }),
      );
      routes.get('/boom', () => {
        throw new ServiceError('SERVICE_SHUTDOWN_FAILED', 'internal detail: broker 10.0.0.7', {
          details: { password: 'p' },
        });
      });
      routes.get('/teapot', () => {
        throw Object.assign(new Error('short and stout'), { statusCode: 418 });
      });
    },
  });
  return { app, logs };
}

describe('buildService', () => {
  it('answers a valid request and exposes config and logger', async () => {
    const { app, logs } = await testService();
    assert.equal(app.serviceConfig.SERVICE_NAME, 'coordinator');
    assert.equal(app.logger, logs.logger);
    const response = await app.inject({
      method: 'POST',
      url: '/tasks',
      payload: { topic: 'kafka-basics' },
    });
    assert.equal(response.statusCode, 202);
    assert.deepEqual(response.json(), { accepted: { topic: 'kafka-basics' } });
    await app.close();
  });

  it('says what is wrong with an invalid body', async () => {
    const { app } = await testService();
    const response = await app.inject({
      method: 'POST',
      url: '/tasks',
      payload: { topic: 'Not A Slug!' },
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), {
      error: 'Bad Request',
      code: 'FST_ERR_VALIDATION',
      message: 'body/topic must match pattern "^[a-z0-9-]+$"',
    });

    const missing = await app.inject({ method: 'POST', url: '/tasks', payload: { priority: 9 } });
    assert.equal(missing.statusCode, 400);
    assert.match(
      missing.json<{ message: string }>().message,
      /body must have required property 'topic'/,
    );
    await app.close();
  });

  it('uses the same body for malformed JSON, unknown routes and thrown 4xx errors', async () => {
    const { app } = await testService();
    const malformed = await app.inject({
      method: 'POST',
      url: '/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '{"topic": ',
    });
    assert.equal(malformed.statusCode, 400);
    const body = malformed.json<Record<string, string>>();
    assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message']);
    assert.equal(body.error, 'Bad Request');
    assert.match(body.code ?? '', /^FST_ERR_CTP_/);

    const missing = await app.inject('/no/such/route?token=x');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), {
      error: 'Not Found',
      code: 'ROUTE_NOT_FOUND',
      message: 'no route for GET /no/such/route',
    });

    // A path that exists, with a method it does not answer.
    const wrongMethod = await app.inject({ method: 'DELETE', url: '/healthz' });
    assert.equal(wrongMethod.statusCode, 405);
    assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
    assert.deepEqual(wrongMethod.json(), {
      error: 'Method Not Allowed',
      code: 'METHOD_NOT_ALLOWED',
      message: '/healthz answers GET, HEAD, not DELETE',
    });

    const teapot = await app.inject('/teapot');
    assert.equal(teapot.statusCode, 418);
    assert.deepEqual(teapot.json(), {
      error: "I'm a Teapot",
      code: 'HTTP_418',
      message: 'short and stout',
    });
    await app.close();
  });

  it('keeps internals out of a 500 and logs them at error', async () => {
    const { app, logs } = await testService('info');
    const response = await app.inject({ url: '/boom', headers: { 'x-request-id': 'req-77' } });
    assert.equal(response.statusCode, 500);
    assert.deepEqual(response.json(), {
      error: 'Internal Server Error',
      code: 'SERVICE_SHUTDOWN_FAILED',
      message: 'Internal Server Error',
    });
    assert.doesNotMatch(response.body, /10\.0\.0\.7/);

    const [entry, ...rest] = logs.entries();
    assert.equal(rest.length, 0, 'one line per request');
    assert.equal(entry?.level, 'error');
    assert.equal(entry?.message, 'request failed');
    assert.equal(entry?.request_id, 'req-77');
    assert.equal(entry?.route, '/boom');
    assert.equal(entry?.status_code, 500);
    const err = entry?.err as { message: string; details: unknown };
    assert.match(err.message, /broker 10\.0\.0\.7/);
    assert.deepEqual(err.details, { password: '[redacted]' });
    await app.close();
  });

  it('logs one debug line per request, without the query string', async () => {
    const { app, logs } = await testService('debug');
    await app.inject('/healthz?token=secret-value');
    const entries = logs.entries();
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry?.level, 'debug');
    assert.equal(entry?.message, 'request completed');
    assert.equal(entry?.agent, 'coordinator');
    assert.equal(entry?.method, 'GET');
    assert.equal(entry?.route, '/healthz');
    assert.equal(entry?.path, '/healthz');
    assert.equal(entry?.status_code, 200);
    assert.equal(typeof entry?.duration_ms, 'number');
    assert.doesNotMatch(JSON.stringify(entries), /secret-value/);
    await app.close();
  });

  it('logs nothing for successful requests above debug', async () => {
    const { app, logs } = await testService('info');
    await app.inject('/healthz');
    await app.inject('/nope');
    assert.deepEqual(logs.entries(), []);
    await app.close();
  });
});
