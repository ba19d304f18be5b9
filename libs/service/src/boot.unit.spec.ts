import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { bootService } from './boot.ts';
import { ServiceError } from './errors.ts';

async function boot(failure: Error | undefined) {
  const stream = new PassThrough();
  let output = '';
  stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exits: number[] = [];
  await bootService(
    'probe',
    () => (failure === undefined ? Promise.resolve() : Promise.reject(failure)),
    { stream, exit: (code) => exits.push(code) },
  );
  await new Promise((resolve) => setImmediate(resolve));
  const lines = output.trim() === '' ? [] : output.trim().split('\n');
  return { lines: lines.map((line) => JSON.parse(line) as Record<string, unknown>), exits };
}

it('a coded failure to start is one line with its code and the fix, no stack, then exit 1', async () => {
  const { lines, exits } = await boot(
    new ServiceError('SERVICE_LISTEN_FAILED', 'could not listen on 0.0.0.0:7070', {
      details: { fix: 'set PORT to a free port' },
    }),
  );
  assert.deepEqual(exits, [1]);
  assert.equal(lines.length, 1);
  const [line] = lines as [Record<string, unknown>];
  assert.equal(line.level, 'error');
  assert.equal(line.message, 'start failed');
  assert.equal(line.agent, 'probe');
  assert.equal(line.code, 'SERVICE_LISTEN_FAILED');
  assert.equal(line.fix, 'set PORT to a free port');
  assert.equal(line.stack, undefined);
});

it('anything else is a bug: its stack is kept', async () => {
  const { lines, exits } = await boot(new TypeError('x is not a function'));
  assert.deepEqual(exits, [1]);
  assert.equal(lines[0]?.code, 'SERVICE_START_FAILED');
  assert.match(String(lines[0]?.stack), /TypeError: x is not a function/);
});

it('a start that succeeds says nothing and does not exit', async () => {
  assert.deepEqual(await boot(undefined), { lines: [], exits: [] });
});
