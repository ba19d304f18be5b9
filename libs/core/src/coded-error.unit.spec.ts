import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CodedError } from './coded-error.ts';

type ExampleCode = 'EXAMPLE_BROKEN' | 'EXAMPLE_MISSING';

class ExampleError extends CodedError<ExampleCode> {
  override readonly name = 'ExampleError';
}

it('a library error carries its code first in the message, its cause and its details', () => {
  const cause = new Error('socket closed');
  const error = new ExampleError('EXAMPLE_BROKEN', 'the example broke', {
    cause,
    details: { topic: 'research-tasks' },
  });
  assert.ok(error instanceof CodedError);
  assert.ok(error instanceof ExampleError);
  assert.equal(error.name, 'ExampleError');
  assert.equal(error.code, 'EXAMPLE_BROKEN');
  assert.equal(error.message, 'EXAMPLE_BROKEN: the example broke');
  assert.equal(error.cause, cause);
  assert.deepEqual(error.details, { topic: 'research-tasks' });
  assert.match(String(error.stack), /^ExampleError: EXAMPLE_BROKEN: the example broke/);
});

it('details default to an empty object', () => {
  assert.deepEqual(new ExampleError('EXAMPLE_MISSING', 'gone').details, {});
});
