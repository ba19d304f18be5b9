import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freeBasePort, portOf, startFleet } from './fleet.ts';

const dir = mkdtempSync(join(tmpdir(), 'paxfleet-fleet-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the fleet launcher', () => {
  it('a service that cannot start is one line: its reason, what to do, and its log', async () => {
    // Something else holds the coordinator's port, and answers nothing on it.
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      await assert.rejects(
        startFleet({
          agents: ['coordinator'],
          basePort: port,
          logDir: join(dir, 'logs'),
          podsDir: join(dir, 'pods'),
          env: { KAFKA_BROKERS: '127.0.0.1:1' },
        }),
        (error: Error) => {
          assert.match(
            error.message,
            /^FLEET_START_FAILED: coordinator exited \(1\): SERVICE_LISTEN_FAILED: /,
          );
          assert.match(error.message, /EADDRINUSE/);
          assert.match(error.message, /\(stop what holds the port/);
          assert.ok(
            error.message.endsWith(`; log: ${join(dir, 'logs', 'coordinator.log')}`),
            error.message,
          );
          return true;
        },
      );
    } finally {
      holder.close();
    }
  });

  it('picks the next base port at which every agent of the fleet is free', async () => {
    const agents = ['coordinator', 'research', 'seo'];
    // Something else holds research's port at the first base: a port the system chose.
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const held = (holder.address() as { port: number }).port;
    const from = held - (portOf('research', 0) - portOf('coordinator', 0));
    try {
      assert.equal(portOf('research', from), held);
      assert.equal(await freeBasePort(agents, from), from + 100);
      assert.equal(await freeBasePort(['coordinator'], from), from);
    } finally {
      holder.close();
    }
  });
});
