/**
 * The cookie /login sets: the token itself, HttpOnly, for this site only. The service's
 * API guard (registerApiAuth, libs/service) takes it where a tool sends the bearer header.
 */
export const TOKEN_COOKIE = 'paxfleet_dashboard_token';

/** Where /login may send the browser back to: a path of this site, nothing else. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/fleet';
}

/**
 * How the service guards the dashboard: the sign-in page and the assets it needs are open,
 * and a signed-in browser's cookie counts as the bearer header.
 */
export const DASHBOARD_API = {
  open: ['/login', '/static/'],
  cookie: { name: TOKEN_COOKIE, signIn: '/login' },
} as const;
