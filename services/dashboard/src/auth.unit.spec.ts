import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookieValue, credentialOf, safeNext, sameToken, TOKEN_COOKIE } from './auth.ts';
import { isLoopback } from './config.ts';

describe('dashboard auth', () => {
  it('takes a bearer header first, then the login cookie', () => {
    assert.deepEqual(credentialOf({ authorization: 'Bearer abc', cookie: `${TOKEN_COOKIE}=x` }), {
      kind: 'token',
      token: 'abc',
      from: 'header',
    });
    assert.deepEqual(credentialOf({ cookie: `a=1; ${TOKEN_COOKIE}=s%3Dx; b=2` }), {
      kind: 'token',
      token: 's=x',
      from: 'cookie',
    });
    assert.deepEqual(credentialOf({}), { kind: 'none' });
    assert.equal(credentialOf({ authorization: 'Basic Zm9v' }).kind, 'malformed');
    assert.equal(cookieValue('x=%E0%A4%A', 'x'), undefined);
  });

  it('compares tokens whatever their lengths', () => {
    assert.equal(sameToken('a-long-enough-token', 'a-long-enough-token'), true);
    assert.equal(sameToken('a-long-enough-token', 'a-long-enough-token!'), false);
    assert.equal(sameToken('', 'x'), false);
  });

  it('sends the browser back only to a path of this site', () => {
    assert.equal(safeNext('/claims?agent=sales'), '/claims?agent=sales');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', undefined, 3])
      assert.equal(safeNext(bad), '/fleet');
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'dashboard.example.com'])
      assert.equal(isLoopback(host), false, host);
  });
});
