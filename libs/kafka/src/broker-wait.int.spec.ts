import assert from 'node:assert/strict';
import { it } from 'node:test';
import { waitForBroker } from './broker-wait.ts';
import { kafkaConnectionFromEnv } from './connection.ts';

it('resolves at the first attempt when the broker answers', async () => {
  const told: string[] = [];
  await waitForBroker(kafkaConnectionFromEnv(process.env, 'probe-test'), {
    logger: { info: (message) => told.push(message), warn: (message) => told.push(message) },
  });
  assert.deepEqual(told, []);
});
