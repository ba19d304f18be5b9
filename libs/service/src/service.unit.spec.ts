import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { buildService } from './app.ts';
import { loadConfig } from '@paxfleet/core';
import { KafkaError } from '@paxfleet/kafka';
import { serviceConfig } from './service-config.ts';
import { ServiceError } from './errors.ts';
import { runService } from './service.ts';
import { captureLogs } from './testing.ts';

async function testService() {
  const logs = captureLogs({ agent: 'marketing', level: 'info' });
  const config = loadConfig(serviceConfig({ serviceName: 'marketing', port: 8082 }), {});
  const app = await buildService({ config, logger: logs.logger, registry: new Registry() });
  return { app, logs };
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

describe('runService', () => {
  it('drains, runs the hooks in order, closes and exits 0', async () => {
    const { app, logs } = await testService();
    const exits: number[] = [];
    const ran: string[] = [];
    const seenWhileStopping: number[] = [];
    const listenersBefore = process.listenerCount('SIGTERM');

    const running = await runService(app, {
      host: '127.0.0.1',
      port: 0,
      exit: (code) => exits.push(code),
      onShutdown: [
        {
          name: 'processor',
          run: async () => {
            const base = `http://127.0.0.1:${running.port}`;
            seenWhileStopping.push(await status(`${base}/healthz`), await status(`${base}/readyz`));
            ran.push('processor');
          },
        },
        async function producer() {
          await Promise.resolve();
          ran.push('producer');
        },
      ],
    });
    assert.ok(running.port > 0);
    assert.equal(process.listenerCount('SIGTERM'), listenersBefore + 1);
    assert.equal(await status(`http://127.0.0.1:${running.port}/healthz`), 200);

    const code = await running.shutdown('SIGTERM');
    assert.equal(code, 0);
    assert.deepEqual(exits, [0]);
    assert.deepEqual(ran, ['processor', 'producer']);
    assert.deepEqual(seenWhileStopping, [503, 503]);
    assert.equal(app.server.listening, false);
    assert.equal(process.listenerCount('SIGTERM'), listenersBefore);
    assert.equal(await running.shutdown('again'), 0, 'idempotent');
    assert.deepEqual(exits, [0], 'exits once');
    assert.deepEqual(
      logs.entries().map((entry) => entry.message),
      ['listening', 'shutting down', 'stopped'],
    );
  });

  it('runs the remaining hooks after one fails, then exits 1', async () => {
    const { app, logs } = await testService();
    const exits: number[] = [];
    const ran: string[] = [];
    const running = await runService(app, {
      port: 0,
      signals: [],
      exit: (code) => exits.push(code),
      onShutdown: [
        {
          name: 'processor',
          run: () => {
            throw new Error('stop failed');
          },
        },
        { name: 'producer', run: () => void ran.push('producer') },
      ],
    });
    assert.equal(await running.shutdown(), 1);
    assert.deepEqual(exits, [1]);
    assert.deepEqual(ran, ['producer']);
    assert.equal(app.server.listening, false);
    const failure = logs.entries().find((entry) => entry.message === 'shutdown failed');
    assert.equal((failure?.err as { code: string }).code, 'SERVICE_SHUTDOWN_FAILED');
  });

  it('gives up after the timeout and is killed (an exit could hang on the stuck client), naming the stuck hook', async () => {
    const { app, logs } = await testService();
    const exits: number[] = [];
    let killed = 0;
    const running = await runService(app, {
      port: 0,
      signals: [],
      shutdownTimeoutMs: 50,
      exit: (code) => exits.push(code),
      kill: () => (killed += 1),
      onShutdown: [{ name: 'stuck-consumer', run: () => new Promise(() => {}) }],
    });
    assert.equal(await running.shutdown(), 1);
    assert.deepEqual(exits, []);
    assert.equal(killed, 1);
    const failure = logs.entries().find((entry) => entry.message === 'shutdown failed');
    const err = failure?.err as { code: string; message: string };
    assert.equal(err.code, 'SERVICE_SHUTDOWN_TIMEOUT');
    assert.match(err.message, /within 50 ms \(still running shutdown hook "stuck-consumer"\)/);
    await app.close();
  });

  it('runs the hooks once start has finished', async () => {
    const { app } = await testService();
    const ran: string[] = [];
    const running = await runService(app, {
      port: 0,
      signals: [],
      exit: () => {},
      start: () => Promise.resolve(void ran.push('start')),
      onShutdown: [{ name: 'producer', run: () => void ran.push('producer') }],
    });
    assert.equal(await running.started, true);
    assert.equal(await running.shutdown(), 0);
    assert.deepEqual(ran, ['start', 'producer']);
  });

  it('exits 0 at once, skipping the hooks, when shut down while still starting', async () => {
    const { app, logs } = await testService();
    const exits: number[] = [];
    const ran: string[] = [];
    const connecting = Promise.withResolvers<void>();
    const running = await runService(app, {
      port: 0,
      signals: [],
      exit: (code) => exits.push(code),
      // Waiting for an unreachable broker: it settles only much later.
      start: (signal) => {
        signal.addEventListener('abort', () => ran.push(`aborted: ${String(signal.reason)}`));
        return connecting.promise;
      },
      onShutdown: [{ name: 'producer', run: () => new Promise(() => ran.push('producer')) }],
    });
    assert.equal(await running.shutdown(), 0);
    assert.deepEqual(exits, [0]);
    assert.deepEqual(ran, ['aborted: ServiceError: SERVICE_STOPPING: shutting down (requested)']);
    assert.equal(app.server.listening, false);
    assert.ok(logs.entries().some((entry) => String(entry.message).includes('hooks skipped')));
    connecting.resolve();
    assert.equal(await running.started, false);
  });

  it('logs why start failed and exits 1 without running the hooks', async () => {
    const { app, logs } = await testService();
    const exited = Promise.withResolvers<number>();
    const ran: string[] = [];
    const running = await runService(app, {
      port: 0,
      signals: [],
      exit: (code) => exited.resolve(code),
      start: () => Promise.reject(new Error('transactional id fenced')),
      onShutdown: [{ name: 'producer', run: () => void ran.push('producer') }],
    });
    assert.equal(await running.started, false);
    assert.equal(await exited.promise, 1);
    assert.deepEqual(ran, []);
    const failure = logs.entries().find((entry) => entry.message === 'start failed');
    assert.equal(failure?.error, 'transactional id fenced');
    assert.equal(failure?.code, 'SERVICE_START_FAILED');
  });

  it('fail() once running: one line with the code and fix, the hooks, exit 1', async () => {
    const { app, logs } = await testService();
    const exits: number[] = [];
    const ran: string[] = [];
    const running = await runService(app, {
      port: 0,
      signals: [],
      exit: (code) => exits.push(code),
      start: () => Promise.resolve(),
      onShutdown: [{ name: 'processor', run: () => void ran.push('processor') }],
    });
    assert.equal(await running.started, true);
    const refused = new KafkaError('KAFKA_NOT_AUTHORIZED', 'User:x may not join consumer group g', {
      details: { fix: 'give the user the ACL' },
    });
    assert.equal(await running.fail(refused), 1);
    assert.deepEqual(exits, [1]);
    assert.deepEqual(ran, ['processor'], 'what finished is still drained');
    const line = logs.entries().find((entry) => entry.message === 'cannot go on');
    assert.equal(line?.code, 'KAFKA_NOT_AUTHORIZED');
    assert.equal(line?.fix, 'give the user the ACL');
  });

  it('shuts down on its signal, and a second signal kills it at once', async () => {
    const { app } = await testService();
    const exits: number[] = [];
    let killed = 0;
    const listenersBefore = process.listenerCount('SIGHUP');
    let release: () => void = () => {};
    const hookStarted = Promise.withResolvers<void>();
    const running = await runService(app, {
      port: 0,
      signals: ['SIGHUP'],
      exit: (code) => exits.push(code),
      kill: () => (killed += 1),
      onShutdown: [
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            hookStarted.resolve();
          }),
      ],
    });
    process.emit('SIGHUP', 'SIGHUP');
    await hookStarted.promise;
    assert.equal(app.draining, true);
    process.emit('SIGHUP', 'SIGHUP');
    assert.equal(killed, 1);
    release();
    assert.equal(await running.shutdown(), 0);
    assert.equal(process.listenerCount('SIGHUP'), listenersBefore);
  });

  it('reports a port it cannot listen on', async () => {
    const first = await testService();
    const running = await runService(first.app, { port: 0, signals: [], exit: () => {} });
    const second = await testService();
    await assert.rejects(
      runService(second.app, { host: '0.0.0.0', port: running.port, signals: [], exit: () => {} }),
      (error) =>
        error instanceof ServiceError &&
        error.code === 'SERVICE_LISTEN_FAILED' &&
        error.message.includes(`0.0.0.0:${running.port}`),
    );
    await running.shutdown();
    await second.app.close();
  });
});
