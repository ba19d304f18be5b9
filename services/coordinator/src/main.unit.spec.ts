import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { it } from 'node:test';

it('a taken port stops the coordinator with one line naming the code and the fix, exit 1', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  try {
    const child = spawn(
      process.execPath,
      ['--conditions=paxfleet-source', new URL('./main.ts', import.meta.url).pathname],
      {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          KAFKA_BROKERS: '127.0.0.1:1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1, output);
    const failures = output
      .trim()
      .split('\n')
      .filter((line) => line.includes('start failed'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(failures.length, 1, output);
    assert.equal(failures[0]?.code, 'SERVICE_LISTEN_FAILED');
    assert.match(String(failures[0]?.fix), /PORT/);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});
