import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelError } from './errors.ts';
import { displayUrl, modelErrorForResponse } from './http-errors.ts';

it('reads retry-after-ms as milliseconds and Retry-After as seconds', () => {
  const limited = (headers: Record<string, string>) =>
    modelErrorForResponse({ status: 429, headers: new Headers(headers), body: '' }, { now: 0 });
  assert.equal(limited({ 'retry-after-ms': '1500' }).details.retryAfterMs, 1500);
  assert.equal(limited({ 'retry-after': '2' }).details.retryAfterMs, 2000);
  assert.equal(limited({ 'retry-after-ms': '250', 'retry-after': '9' }).details.retryAfterMs, 250);
});

describe('displayUrl', () => {
  it('drops user info and the query, where secrets hide', () => {
    assert.equal(
      displayUrl('https://user:s3cret@api.example.test/v1/chat?key=abc', 'MODEL_BASE_URL'),
      'https://api.example.test/v1/chat',
    );
  });

  it('names the setting when the value is not a URL', () => {
    assert.throws(
      () => displayUrl('api.example.test', 'AUDIT_API_URL'),
      (error: unknown) =>
        error instanceof ModelError &&
        error.code === 'MODEL_CONFIG_INVALID' &&
        error.message.includes('AUDIT_API_URL is not a valid URL'),
    );
  });
});
