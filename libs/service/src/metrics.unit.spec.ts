import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { register as globalRegistry, Registry } from 'prom-client';
import { buildService } from './app.ts';
import { loadConfig } from '@paxfleet/core';
import { serviceConfig } from './service-config.ts';
import { captureLogs } from './testing.ts';

async function testService(registry: Registry) {
  const config = loadConfig(serviceConfig({ serviceName: 'oracle', port: 8086 }), {});
  return await buildService({
    config,
    logger: captureLogs().logger,
    registry,
    routes: (app) => {
      app.get('/items/:id', () => ({ ok: true }));
    },
  });
}

describe('metrics', () => {
  it('serves default metrics and the request histogram from the given registry', async () => {
    const registry = new Registry();
    const app = await testService(registry);
    assert.equal(app.metricsRegistry, registry);

    assert.equal((await app.inject('/items/42')).statusCode, 200);
    assert.equal((await app.inject('/items/43')).statusCode, 200);
    assert.equal((await app.inject('/nowhere/at/all')).statusCode, 404);

    const response = await app.inject('/metrics');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = response.body;
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(
      text,
      /^http_request_duration_seconds_count\{method="GET",route="\/items\/:id",status_code="200"\} 2$/m,
    );
    assert.match(
      text,
      /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1$/m,
    );
    assert.doesNotMatch(text, /items\/42/, 'raw URLs never become label values');
    await app.close();
  });

  it('leaves the global registry alone and shares one registry between apps', async () => {
    const globalBefore = (await globalRegistry.getMetricsAsJSON()).length;
    const registry = new Registry();
    const first = await testService(registry);
    const second = await testService(registry);
    await first.ready();
    await second.ready();
    await second.inject('/items/1');
    const text = await registry.metrics();
    assert.match(text, /http_request_duration_seconds_count\{[^}]*route="\/items\/:id"[^}]*\} 1/);
    assert.equal((await globalRegistry.getMetricsAsJSON()).length, globalBefore);
    await first.close();
    await second.close();
  });
});
