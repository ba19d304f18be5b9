import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgentSpec } from '@paxfleet/events';
import { HttpError, type ErrorBody } from '@paxfleet/service';
import { safeNext, TOKEN_COOKIE } from './auth.ts';
import { WORKFLOW_STATUSES, type FleetState } from './fleet-state.ts';
import { html, type Html } from './html.ts';
import type { LiveHub } from './live.ts';
import {
  claimsView,
  deadLettersView,
  fleetView,
  renderError,
  renderPage,
  topicsView,
  topicView,
  workflowsView,
  type View,
} from './views.ts';
import { workflowView, type WorkflowRead } from './workflow-view.ts';

export interface DashboardAssets {
  readonly css: string;
  readonly js: string;
}

export interface DashboardDeps {
  readonly state: FleetState;
  readonly hub: LiveHub;
  /**
   * When the pages ask for a token (API_READ_AUTH=token): whether one given to /login is
   * one of API_TOKENS. The guard itself is the service's (see DASHBOARD_API).
   */
  readonly signIn?: (token: string) => boolean;
  readonly jaegerUrl?: string;
  /** The consumer group whose lag is an agent's, as the state's lag rows name it. */
  readonly groupOf: (agent: AgentSpec) => string;
  /** One workflow's history (broker and archive) and the bodies it references. */
  readonly readWorkflow: (id: string) => Promise<WorkflowRead>;
  /** Each topic's end offsets summed, as last measured. */
  readonly topicEnds: () => ReadonlyMap<string, number>;
  readonly assets: DashboardAssets;
}

/** Sent with every answer of the dashboard: no framing, no inline script, no outside origin. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const WORKFLOW_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const MAX_PARAMETER = 300;

type Query = Readonly<Record<string, string>>;

/** The query's parameters, each once and short, and only those the page knows. */
function queryOf(request: FastifyRequest, allowed: readonly string[]): Query {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!allowed.includes(name))
      throw new HttpError(
        400,
        'DASHBOARD_QUERY_INVALID',
        `unknown query parameter "${name}": this page takes ${allowed.length === 0 ? 'none' : allowed.join(', ')}`,
      );
    if (typeof value !== 'string')
      throw new HttpError(
        400,
        'DASHBOARD_QUERY_INVALID',
        `query parameter "${name}" is given more than once`,
      );
    if (value.length > MAX_PARAMETER)
      throw new HttpError(
        400,
        'DASHBOARD_QUERY_INVALID',
        `query parameter "${name}" is longer than ${MAX_PARAMETER} characters`,
      );
    if (value !== '') query[name] = value;
  }
  return query;
}

function oneOf(name: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value))
    throw new HttpError(
      400,
      'DASHBOARD_QUERY_INVALID',
      `${name} "${value}" is not one of ${allowed.join(', ')}`,
    );
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

function loginPage(next: string, problem?: string): Html {
  return renderPage(
    {
      title: 'Sign in',
      section: '/fleet',
      regions: () =>
        new Map([
          [
            'login',
            html`${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
              <form class="login" method="post" action="/login">
                <p>
                  This dashboard asks for a bearer token (one of <code>API_TOKENS</code>). Signing
                  in keeps it in an HttpOnly cookie for this site; tools can send
                  <code>Authorization: Bearer &lt;token&gt;</code> instead.
                </p>
                <input type="hidden" name="next" value="${next}" />
                <label
                  >Token
                  <input
                    type="password"
                    name="token"
                    autocomplete="current-password"
                    required
                    minlength="1"
                    maxlength="500"
                /></label>
                <button type="submit">Sign in</button>
              </form>`,
          ],
        ]),
    },
    '',
  );
}

/**
 * The dashboard's routes: the five pages and the workflow page, each at a stable URL and
 * complete without JavaScript; /live/<page> streams the same page's regions as they change
 * (Server-Sent Events); /static/ the stylesheet and script; /login when the pages ask for a token.
 * Everything is read-only (GET), except the login form.
 */
export function dashboardRoutes(deps: DashboardDeps) {
  const { state } = deps;
  const agentNames = state.catalog.agents.map((agent) => agent.name);
  const topicNames = state.catalog.topics.map((topic) => topic.name);

  const resolveView = async (path: string, request: FastifyRequest): Promise<View> => {
    if (path === '/fleet') {
      queryOf(request, []);
      return fleetView(state, deps.groupOf);
    }
    if (path === '/claims') {
      const query = queryOf(request, ['agent', 'key']);
      oneOf('agent', query.agent, agentNames);
      return claimsView(state, query);
    }
    if (path === '/workflows') {
      const query = queryOf(request, ['q', 'status', 'agent']);
      oneOf('status', query.status, [...WORKFLOW_STATUSES, 'failed']);
      oneOf('agent', query.agent, agentNames);
      return workflowsView(state, query);
    }
    if (path === '/dead-letters') {
      const query = queryOf(request, ['topic']);
      oneOf('topic', query.topic, topicNames);
      return deadLettersView(state, query);
    }
    if (path === '/topics') {
      queryOf(request, []);
      return topicsView(state, deps.topicEnds());
    }
    const topic = /^\/topics\/([^/]+)$/.exec(path)?.[1];
    if (topic !== undefined) {
      const name = decodeURIComponent(topic);
      if (!topicNames.includes(name))
        throw new HttpError(
          404,
          'DASHBOARD_TOPIC_UNKNOWN',
          `"${name}" is not a topic of the catalog: ${topicNames.join(', ')}`,
        );
      const query = queryOf(request, ['key', 'header', 'workflow']);
      return topicView(state, name, query);
    }
    const workflow = /^\/workflows\/([^/]+)$/.exec(path)?.[1];
    if (workflow !== undefined) {
      const id = decodeURIComponent(workflow);
      if (!WORKFLOW_ID.test(id))
        throw new HttpError(
          400,
          'DASHBOARD_WORKFLOW_INVALID',
          `"${id}" is not a workflow id (letters, digits, "_", "." and "-", up to 100)`,
        );
      const query = queryOf(request, ['progress']);
      oneOf('progress', query.progress, ['1']);
      return workflowView(state, id, await deps.readWorkflow(id), {
        progress: query.progress === '1',
        ...(deps.jaegerUrl && { jaegerUrl: deps.jaegerUrl }),
      });
    }
    throw new HttpError(404, 'ROUTE_NOT_FOUND', `no page at ${path}`);
  };

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const [path = '/', search = ''] = request.url.split('?');
    const view = await resolveView(path, request);
    const live = `/live${path}${search ? `?${search}` : ''}`;
    return reply.type('text/html; charset=utf-8').send(renderPage(view, live).text);
  };

  const stream = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.url.split('?')[0] ?? '').slice('/live'.length);
    const view = await resolveView(path, request);
    reply.hijack();
    reply.raw.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    deps.hub.subscribe(reply.raw, view.regions);
  };

  return (app: FastifyInstance) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, new URLSearchParams(body as string)),
    );

    app.addHook('onSend', async (_request, reply) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        if (!reply.hasHeader(name)) reply.header(name, value);
    });

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const status =
        typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
      const message =
        status >= 500
          ? 'Internal Server Error'
          : error instanceof HttpError
            ? error.reason
            : error.message;
      if (status >= 500)
        app.logger.error('dashboard request failed', {
          path: request.url.split('?')[0],
          err: error,
        });
      if (error instanceof HttpError) reply.headers(error.headers);
      // A browser asked for its token signs in, and comes back to the page it asked for.
      if (status === 401 && wantsHtml(request) && !request.url.startsWith('/live/'))
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(
            loginPage(safeNext(request.url), error.code === 'AUTH_REQUIRED' ? undefined : message)
              .text,
          );
      if (wantsHtml(request))
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(
            renderError(
              status,
              status === 404 ? 'Not found' : status >= 500 ? 'Error' : 'Bad request',
              message,
            ).text,
          );
      const body: ErrorBody = {
        error: STATUS_CODES[status] ?? 'Error',
        code: status >= 500 ? 'INTERNAL_ERROR' : (error.code ?? `HTTP_${status}`),
        message,
      };
      return reply.code(status).send(body);
    });

    const { signIn } = deps;
    app.get('/', (_request, reply) => reply.redirect('/fleet'));
    for (const path of ['/fleet', '/claims', '/workflows', '/dead-letters', '/topics'])
      app.get(path, page);
    app.get('/workflows/:id', page);
    app.get('/topics/:topic', page);
    app.get('/live/*', stream);

    app.get('/static/dashboard.css', (_request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(deps.assets.css),
    );
    app.get('/static/dashboard.js', (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(deps.assets.js),
    );

    app.get('/login', (request, reply) => {
      const { next } = queryOf(request, ['next']);
      if (signIn === undefined) return reply.redirect(safeNext(next));
      return reply.type('text/html; charset=utf-8').send(loginPage(safeNext(next)).text);
    });
    app.post('/login', (request, reply) => {
      if (signIn === undefined) return reply.redirect(safeNext(undefined), 303);
      if (!(request.body instanceof URLSearchParams))
        throw new HttpError(
          415,
          'DASHBOARD_LOGIN_INVALID',
          'send the login form (application/x-www-form-urlencoded with token and next)',
        );
      const given = request.body.get('token') ?? '';
      const next = safeNext(request.body.get('next'));
      if (!signIn(given))
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .send(loginPage(next, "That is not the dashboard's token.").text);
      const secure =
        request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
      reply.header(
        'set-cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(given)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
      );
      return reply.redirect(next, 303);
    });
  };
}
