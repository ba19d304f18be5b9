import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { buildService } from './app.ts';
import { loadConfig } from '@paxfleet/core';
import { serviceConfig } from './service-config.ts';
import { ServiceError } from './errors.ts';
import { ReadinessRegistry } from './health.ts';
import { captureLogs } from './testing.ts';

async function testService(readiness?: ReadinessRegistry) {
  const config = loadConfig(serviceConfig({ serviceName: 'research', port: 8081 }), {});
  return await buildService({
    config,
    logger: captureLogs().logger,
    registry: new Registry(),
    ...(readiness ? { readiness } : {}),
  });
}

describe('ReadinessRegistry', () => {
  it('reports each check by name', () => {
    const readiness = new ReadinessRegistry()
      .add('kafka-producer', () => true)
      .add('consumer-group', () => 'not joined')
      .add('said-ok', () => 'ok')
      .add('plain-false', () => false)
      .add('throws', () => {
        throw new Error('admin client closed');
      });
    assert.deepEqual(readiness.evaluate(), {
      ready: false,
      checks: {
        'kafka-producer': 'ok',
        'consumer-group': 'not joined',
        'said-ok': 'ok',
        'plain-false': 'not ready',
        throws: 'check failed: admin client closed',
      },
    });
  });

  it('is ready with no checks, and rejects a duplicate name', () => {
    const readiness = new ReadinessRegistry();
    assert.deepEqual(readiness.evaluate(), { ready: true, checks: {} });
    readiness.add('kafka', () => true);
    assert.throws(
      () => readiness.add('kafka', () => true),
      (error) =>
        error instanceof ServiceError && error.code === 'SERVICE_READINESS_CHECK_DUPLICATE',
    );
    assert.equal(readiness.remove('kafka'), true);
    assert.deepEqual(readiness.names(), []);
  });
});

describe('health routes', () => {
  it('/healthz is 200 while alive and 503 once draining', async () => {
    const app = await testService();
    const alive = await app.inject('/healthz');
    assert.equal(alive.statusCode, 200);
    assert.deepEqual(alive.json(), { status: 'ok' });

    app.startDraining();
    assert.equal(app.draining, true);
    const draining = await app.inject('/healthz');
    assert.equal(draining.statusCode, 503);
    assert.deepEqual(draining.json(), { status: 'draining' });
    await app.close();
  });

  it('/readyz follows the readiness checks', async () => {
    let joined = false;
    const app = await testService();
    app.readiness
      .add('kafka-producer', () => true)
      .add('consumer-group', () => (joined ? true : 'not joined'));

    const before = await app.inject('/readyz');
    assert.equal(before.statusCode, 503);
    assert.deepEqual(before.json(), {
      status: 'not ready',
      checks: { 'kafka-producer': 'ok', 'consumer-group': 'not joined' },
    });

    joined = true;
    const after = await app.inject('/readyz');
    assert.equal(after.statusCode, 200);
    assert.deepEqual(after.json(), {
      status: 'ready',
      checks: { 'kafka-producer': 'ok', 'consumer-group': 'ok' },
    });

    app.startDraining();
    const draining = await app.inject('/readyz');
    assert.equal(draining.statusCode, 503);
    assert.equal(draining.json<{ status: string }>().status, 'draining');
    await app.close();
  });

  it('uses the registry it is given', async () => {
    const readiness = new ReadinessRegistry().add('kafka', () => 'disconnected');
    const app = await testService(readiness);
    assert.equal(app.readiness, readiness);
    assert.equal((await app.inject('/readyz')).statusCode, 503);
    await app.close();
  });

  it('drains when closed directly', async () => {
    const app = await testService();
    await app.ready();
    await app.close();
    assert.equal(app.draining, true);
  });
});
