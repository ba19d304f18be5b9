import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { ConfigError, composeConfig, loadConfig, type Env } from '@paxfleet/core';
import { buildService } from './app.ts';
import { apiAccess, apiConfig, isLoopback } from './api-config.ts';
import { tokenMatcher } from './api-auth.ts';
import { serviceConfig } from './service-config.ts';
import { captureLogs } from './testing.ts';

const OLD = 'old-token-0123456789abcdef';
const NEW = 'new-token-fedcba9876543210';

const fragment = composeConfig(
  'test',
  serviceConfig({ serviceName: 'coordinator', port: 7070 }),
  apiConfig,
);

async function api(env: Env) {
  const config = loadConfig(fragment, env);
  const logs = captureLogs({ agent: 'coordinator', level: 'debug' });
  const app = await buildService({
    config,
    logger: logs.logger,
    registry: new Registry(),
    openapi: { title: 'test', version: '1', description: 'test' },
    api: { access: apiAccess(config), bodyLimit: config.API_BODY_LIMIT_BYTES },
    routes: (routes) => {
      const schema = {
        body: Type.Object({ topic: Type.String() }),
        response: { 202: Type.Object({ ok: Type.Boolean() }) },
      };
      routes.post('/research', { schema }, (_request, reply) => reply.code(202).send({ ok: true }));
      routes.get('/claims', { schema: { response: { 200: Type.Object({}) } } }, () => ({}));
    },
  });
  return { app, logs };
}

const post = (headers: Record<string, string> = {}, payload: unknown = { topic: 'kafka' }) => ({
  method: 'POST' as const,
  url: '/research',
  headers,
  payload: payload as Record<string, string>,
});

describe('API auth', () => {
  it('asks for a bearer token, and takes either of two during a rotation', async () => {
    const { app, logs } = await api({ HOST: '0.0.0.0', API_TOKENS: `${OLD},${NEW}` });
    const none = await app.inject(post());
    assert.equal(none.statusCode, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer /);
    assert.deepEqual(none.json(), {
      error: 'Unauthorized',
      code: 'AUTH_REQUIRED',
      message:
        "POST needs a bearer token: send Authorization: Bearer <token> with one of the service's API_TOKENS",
    });
    const wrong = await app.inject(post({ authorization: `Bearer ${OLD}x` }));
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json<{ code: string }>().code, 'AUTH_INVALID');
    assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
    const basic = await app.inject(post({ authorization: 'Basic eDp5' }));
    assert.equal(basic.statusCode, 401);
    assert.match(basic.json<{ message: string }>().message, /must be "Bearer <token>"/);
    for (const token of [OLD, NEW])
      assert.equal((await app.inject(post({ authorization: `Bearer ${token}` }))).statusCode, 202);
    assert.equal((await app.inject({ url: '/claims' })).statusCode, 401, 'reads follow API_AUTH');
    for (const url of ['/healthz', '/metrics', '/openapi.json'])
      assert.equal((await app.inject({ url })).statusCode, 200, `${url} stays open`);
    const logged = JSON.stringify(logs.entries());
    assert.ok(!logged.includes(OLD) && !logged.includes(NEW), 'no token in the log');
    await app.close();
  });

  it('lets reads be open while writes ask for a token', async () => {
    const { app } = await api({ HOST: '0.0.0.0', API_TOKENS: NEW, API_READ_AUTH: 'none' });
    assert.equal((await app.inject({ url: '/claims' })).statusCode, 200);
    assert.equal((await app.inject(post())).statusCode, 401);
    await app.close();
  });

  it('in loopback mode, refuses a client on another machine', async () => {
    const { app } = await api({ HOST: '0.0.0.0', API_AUTH: 'loopback' });
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      assert.equal((await app.inject({ ...post(), remoteAddress })).statusCode, 202, remoteAddress);
    const far = await app.inject({
      ...post({ 'x-forwarded-for': '127.0.0.1' }),
      remoteAddress: '10.1.2.3',
    });
    assert.equal(far.statusCode, 403);
    assert.equal(far.json<{ code: string }>().code, 'AUTH_LOOPBACK_ONLY');
    assert.match(far.json<{ message: string }>().message, /10\.1\.2\.3 is not a loopback address/);
    const read = await app.inject({ url: '/claims', remoteAddress: '10.1.2.3' });
    assert.equal(read.statusCode, 403);
    await app.close();
  });

  it('answers 413 to a body over the limit, saying the limit', async () => {
    const { app } = await api({ HOST: '127.0.0.1', API_BODY_LIMIT_BYTES: '1024' });
    const large = await app.inject(post({}, { topic: 'x'.repeat(2000) }));
    assert.equal(large.statusCode, 413);
    assert.deepEqual(large.json(), {
      error: 'Payload Too Large',
      code: 'BODY_TOO_LARGE',
      message: 'the request body is larger than 1024 bytes (API_BODY_LIMIT_BYTES)',
    });
    assert.equal((await app.inject(post())).statusCode, 202);
    await app.close();
  });

  it('declares the bearer scheme on the routes that ask for it', async () => {
    const { app } = await api({ HOST: '0.0.0.0', API_TOKENS: NEW, API_READ_AUTH: 'none' });
    const document = (await app.inject({ url: '/openapi.json' })).json<{
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown; responses: object }>>;
    }>();
    assert.deepEqual(document.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: "One of the service's API_TOKENS, as `Authorization: Bearer <token>`.",
    });
    const research = document.paths['/research']?.post;
    assert.deepEqual(research?.security, [{ bearerAuth: [] }]);
    assert.deepEqual(Object.keys(research?.responses ?? {}).sort(), ['202', '401', '413']);
    assert.equal(document.paths['/claims']?.get?.security, undefined);
    assert.equal(document.paths['/healthz']?.get?.security, undefined);
    await app.close();
  });

  it('stops at boot on a combination that cannot be meant, naming the variable', () => {
    const problem = (env: Env) => {
      try {
        loadConfig(fragment, env);
        return undefined;
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.message;
      }
    };
    assert.match(
      problem({ HOST: '0.0.0.0' }) ?? '',
      /API_TOKENS is required when HOST \(0\.0\.0\.0\) is not a loopback address/,
    );
    assert.match(
      problem({ HOST: '127.0.0.1', API_AUTH: 'token' }) ?? '',
      /API_TOKENS is required when API_AUTH=token/,
    );
    assert.match(
      problem({ HOST: '127.0.0.1', API_TOKENS: NEW }) ?? '',
      /API_TOKENS is set, but neither API_AUTH \(loopback\) nor API_READ_AUTH \(loopback\) is token/,
    );
    const short = problem({ HOST: '0.0.0.0', API_TOKENS: 'short-secret' }) ?? '';
    assert.match(short, /API_TOKENS/);
    assert.ok(!short.includes('short-secret'), 'a bad token is not shown');
    assert.equal(problem({ HOST: '127.0.0.1' }), undefined);
    assert.equal(problem({ HOST: '0.0.0.0', API_AUTH: 'none' }), undefined);
    assert.deepEqual(apiAccess(loadConfig(fragment, { HOST: '::1' })), {
      write: 'loopback',
      read: 'loopback',
      tokens: [],
    });
  });

  it('compares tokens whatever their lengths, and knows loopback addresses', () => {
    const matches = tokenMatcher([OLD, NEW]);
    assert.equal(matches(OLD), true);
    assert.equal(matches(NEW), true);
    assert.equal(matches(`${NEW}!`), false);
    assert.equal(matches(''), false);
    assert.equal(tokenMatcher([])('anything'), false);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'api.example.com', '::ffff:10.0.0.1'])
      assert.equal(isLoopback(host), false, host);
  });
});
