import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { it } from 'node:test';
import { waitForBroker } from './broker-wait.ts';
import { kafkaConnectionFromEnv } from './connection.ts';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('retries while no broker answers and ends with the reason when aborted', async () => {
  const connection = kafkaConnectionFromEnv(
    { KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` },
    'probe-test',
  );
  const controller = new AbortController();
  const warnings: Record<string, unknown>[] = [];
  const waiting = waitForBroker(connection, {
    signal: controller.signal,
    retryMs: 1,
    logger: {
      info: () => assert.fail('no broker answered'),
      warn: (message, fields) => {
        warnings.push({ message, ...fields });
        // The first failure and every 30th are told: abort at the second report.
        if (warnings.length === 2) controller.abort(new Error('shutting down'));
      },
    },
  });
  await assert.rejects(waiting, /shutting down/);
  assert.deepEqual(
    warnings.map(({ message, brokers, attempt }) => ({ message, brokers, attempt })),
    [1, 31].map((attempt) => ({
      message: 'waiting for Kafka',
      brokers: connection.brokers.join(','),
      attempt,
    })),
  );
  assert.match(String(warnings[0]?.error), /ECONNREFUSED|connect/i);
});

it('ends a pending attempt at once when aborted', async () => {
  // Accepts connections and never answers: the attempt would last its full timeout.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  try {
    const connection = kafkaConnectionFromEnv({ KAFKA_BROKERS: `127.0.0.1:${port}` }, 'probe-test');
    const controller = new AbortController();
    const waiting = waitForBroker(connection, {
      signal: controller.signal,
      attemptTimeoutMs: 60_000,
    });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await assert.rejects(waiting, /shutting down/);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
