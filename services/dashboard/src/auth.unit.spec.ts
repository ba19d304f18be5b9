import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeNext } from './auth.ts';

describe('dashboard sign-in', () => {
  it('sends the browser back only to a path of this site', () => {
    assert.equal(safeNext('/claims?agent=sales'), '/claims?agent=sales');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', undefined, 3])
      assert.equal(safeNext(bad), '/fleet');
  });
});
