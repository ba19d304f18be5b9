import assert from 'node:assert/strict';
import { it } from 'node:test';
import { modelErrorForResponse } from './http-errors.ts';

it('reads retry-after-ms as milliseconds and Retry-After as seconds', () => {
  const limited = (headers: Record<string, string>) =>
    modelErrorForResponse({ status: 429, headers: new Headers(headers), body: '' }, { now: 0 });
  assert.equal(limited({ 'retry-after-ms': '1500' }).details.retryAfterMs, 1500);
  assert.equal(limited({ 'retry-after': '2' }).details.retryAfterMs, 2000);
  assert.equal(limited({ 'retry-after-ms': '250', 'retry-after': '9' }).details.retryAfterMs, 250);
});
