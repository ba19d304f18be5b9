import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopback, type ApiAccess, type ApiAuthMode } from './api-config.ts';
import { HttpError } from './errors.ts';
import { DOCS_PREFIX, OPENAPI_PATH, errorReply } from './http-schemas.ts';

/** The name of the bearer scheme in the API document. */
export const BEARER_SCHEME = 'bearerAuth';

/** What a request is asked for, beside the modes: the paths left open, a sign-in cookie. */
export interface ApiAuthOptions {
  readonly access: ApiAccess;
  /** Paths open whatever the modes: exact, or every path under one ending in "/". */
  readonly open?: readonly string[];
  /** A cookie that may carry the token instead of the header, set by a sign-in page. */
  readonly cookie?: { readonly name: string; readonly signIn: string };
}

/**
 * Probes (the kubelet, Prometheus) carry no token, and the API document describes the
 * routes, not the fleet's data: these answer whatever API_AUTH says.
 */
const ALWAYS_OPEN = [
  '/healthz',
  '/readyz',
  '/metrics',
  OPENAPI_PATH,
  DOCS_PREFIX,
  `${DOCS_PREFIX}/`,
];

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether `given` is one of the tokens, in time that depends on neither: every token is
 * compared (no early exit), as SHA-256 digests so timingSafeEqual gets equal lengths.
 */
export function tokenMatcher(tokens: readonly string[]): (given: string) => boolean {
  const expected = tokens.map(digest);
  return (given) => {
    const candidate = digest(given);
    let matched = false;
    for (const token of expected) matched = timingSafeEqual(candidate, token) || matched;
    return matched;
  };
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
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
  | { readonly kind: 'malformed' }
  | { readonly kind: 'token'; readonly token: string; readonly from: 'header' | 'cookie' };

/** The token a request carries: the Authorization bearer header first, else the cookie. */
export function credentialOf(
  headers: { readonly authorization?: string | undefined; readonly cookie?: string | undefined },
  cookie?: string,
): Credential {
  const { authorization } = headers;
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    return token ? { kind: 'token', token, from: 'header' } : { kind: 'malformed' };
  }
  const value = cookie === undefined ? undefined : cookieValue(headers.cookie, cookie);
  return value ? { kind: 'token', token: value, from: 'cookie' } : { kind: 'none' };
}

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

function isOpen(path: string, open: readonly string[]): boolean {
  return open.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
}

const CHALLENGE = 'Bearer realm="paxfleet"';

/**
 * Guards every route but the open ones by API_AUTH (writes) and API_READ_AUTH (reads): a
 * request that may not pass gets 401 (AUTH_REQUIRED, AUTH_INVALID, with WWW-Authenticate)
 * or 403 (AUTH_LOOPBACK_ONLY) in the service's error body. Nothing of a token is logged or
 * echoed. Routes added afterwards carry the answer and the bearer scheme in their schema,
 * so the API document says which ask for a token.
 */
export function registerApiAuth(app: FastifyInstance, options: ApiAuthOptions): void {
  const { access } = options;
  const open = [...ALWAYS_OPEN, ...(options.open ?? [])];
  const matches = tokenMatcher(access.tokens);
  const signIn = options.cookie ? `, or sign in at ${options.cookie.signIn}` : '';

  const refuse = (request: FastifyRequest, mode: ApiAuthMode): void => {
    if (mode === 'none') return;
    if (mode === 'loopback') {
      if (isLoopback(request.ip)) return;
      throw new HttpError(
        403,
        'AUTH_LOOPBACK_ONLY',
        `this service takes ${isRead(request.method) ? 'reads' : 'changes'} only from its own machine (${isRead(request.method) ? 'API_READ_AUTH' : 'API_AUTH'}=loopback), and ${request.ip} is not a loopback address`,
      );
    }
    const credential = credentialOf(request.headers, options.cookie?.name);
    if (credential.kind === 'token' && matches(credential.token)) return;
    if (credential.kind === 'none')
      throw new HttpError(
        401,
        'AUTH_REQUIRED',
        `${request.method} needs a bearer token: send Authorization: Bearer <token> with one of the service's API_TOKENS${signIn}`,
        { 'www-authenticate': CHALLENGE },
      );
    throw new HttpError(
      401,
      'AUTH_INVALID',
      credential.kind === 'malformed'
        ? 'the Authorization header must be "Bearer <token>"'
        : credential.from === 'header'
          ? "the bearer token is not one of the service's API_TOKENS"
          : `the signed-in token is no longer one of the service's API_TOKENS${signIn}`,
      { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` },
    );
  };

  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] ?? '';
    try {
      if (!isOpen(path, open)) refuse(request, isRead(request.method) ? access.read : access.write);
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  app.addHook('onRoute', (route) => {
    if (isOpen(route.url, open) || route.schema === undefined) return;
    const methods = [route.method].flat();
    const mode = methods.every(isRead) ? access.read : access.write;
    route.schema = {
      ...route.schema,
      ...(mode === 'token' && { security: [{ [BEARER_SCHEME]: [] }] }),
      response: {
        ...(route.schema.response as object),
        ...refusals(mode),
        ...(!methods.every(isRead) && {
          413: errorReply('The body is larger than API_BODY_LIMIT_BYTES (BODY_TOO_LARGE).'),
        }),
      },
    };
  });
}

function refusals(mode: ApiAuthMode): Record<number, unknown> {
  if (mode === 'token')
    return {
      401: errorReply(
        'No bearer token (AUTH_REQUIRED), or not one of API_TOKENS (AUTH_INVALID); the answer carries WWW-Authenticate: Bearer.',
      ),
    };
  if (mode === 'loopback')
    return { 403: errorReply('The request did not come from this machine (AUTH_LOOPBACK_ONLY).') };
  return {};
}
