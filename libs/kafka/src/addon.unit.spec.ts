import assert from 'node:assert/strict';
import { it } from 'node:test';
import { librdkafkaVersion } from './client.ts';

it('loads the Kafka client native addon under Node 24 (ABI 137)', () => {
  assert.ok(
    Number(process.versions.node.split('.')[0]) >= 24,
    `running node ${process.versions.node}`,
  );
  assert.equal(process.versions.modules, '137');
  assert.match(librdkafkaVersion(), /^2\.\d+\.\d+/);
});
