import { createHash, timingSafeEqual } from 'node:crypto';

/** The cookie /login sets: the token itself, HttpOnly, for this site only. */
export const TOKEN_COOKIE = 'paxfleet_dashboard_token';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares in constant time (both sides hashed first, so lengths do not leak either). */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed'; readonly problem: string }
  | { readonly kind: 'token'; readonly token: string; readonly from: 'header' | 'cookie' };

/** The token a request carries: an Authorization bearer header first, else the login cookie. */
export function credentialOf(headers: {
  readonly authorization?: string | undefined;
  readonly cookie?: string | undefined;
}): Credential {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1])
      return {
        kind: 'malformed',
        problem: 'the Authorization header must be "Bearer <token>"',
      };
    return { kind: 'token', token: match[1], from: 'header' };
  }
  const cookie = cookieValue(headers.cookie, TOKEN_COOKIE);
  return cookie ? { kind: 'token', token: cookie, from: 'cookie' } : { kind: 'none' };
}

/** Where /login may send the browser back to: a path of this site, nothing else. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/fleet';
}
