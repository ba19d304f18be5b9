import { STATUS_CODES } from 'node:http';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type FastifySchemaValidationError,
} from 'fastify';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from './service-config.ts';
import { HttpError } from './errors.ts';
import type { ErrorBody } from './http-schemas.ts';
import { healthPlugin, type ReadinessRegistry } from './health.ts';
import type { ServiceLogger } from './logger.ts';
import { metricsPlugin } from './metrics.ts';
import { routeMethods } from './route-methods.ts';
import type { OpenApiInfo } from './openapi.ts';
import { registerApiAuth, type ApiAuthOptions } from './api-auth.ts';

export interface BuildServiceOptions {
  readonly config: ServiceConfig;
  readonly logger: ServiceLogger;
  /** The registry /metrics serves; never prom-client's global one. */
  readonly registry: Registry;
  /** The checks /readyz runs; also reachable as app.readiness. */
  readonly readiness?: ReadinessRegistry;
  /** Adds the service's own routes, in their own encapsulated context. */
  readonly routes?: (app: FastifyInstance) => void | Promise<void>;
  /**
   * Serve the OpenAPI document of every route at /openapi.json and Swagger UI at /docs.
   * Its modules are loaded only then: a service without an API to describe does not carry them.
   */
  readonly openapi?: OpenApiInfo;
  /**
   * A service with an API (see apiConfig): every route but the probes and the API document
   * guarded by API_AUTH and API_READ_AUTH, and bodies up to API_BODY_LIMIT_BYTES.
   * Without it, bodies up to Fastify's 1 MiB and nothing guarded: a service with only probes.
   */
  readonly api?: ApiAuthOptions & { readonly bodyLimit: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's logger. Fastify's own `log` is disabled; log through this one. */
    readonly logger: ServiceLogger;
    readonly serviceConfig: ServiceConfig;
  }
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Fastify's message (`body/topic must match pattern "..."`, each failure), and for a value
 * outside an enum the values allowed, so the caller need not look them up.
 */
function validationMessage(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const text = errors
    .map((error) => {
      const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
      const values = error.keyword === 'enum' && allowed ? `: ${allowed.join(', ')}` : '';
      return `${dataVar}${error.instancePath} ${error.message ?? 'is invalid'}${values}`;
    })
    .join(', ');
  return new Error(text);
}

function statusOf(error: Partial<FastifyError>): number {
  const status = error.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

/**
 * A Fastify instance with /healthz, /readyz, /metrics, one log line per request and a
 * uniform error body. The plugins are loaded when it resolves, so app.readiness and
 * app.metricsRegistry are ready to use. It does not listen and installs no signal
 * handlers: tests use app.inject(); runService() puts it on the network.
 */
export async function buildService(options: BuildServiceOptions): Promise<FastifyInstance> {
  const { config, logger } = options;
  const app = Fastify({
    logger: false,
    requestIdHeader: 'x-request-id',
    // A request is taken as sent or refused with what is wrong: Fastify's defaults would turn
    // `"brief": 5` into "5" and drop a property the schema does not allow. (A query string or
    // path parameter typed other than string would need coercion of its own.)
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    schemaErrorFormatter: validationMessage,
    // A path parameter is judged by its route's schema (a 400 saying what is wrong), not cut
    // off by the router's 100 characters with a 414 no route's document promises; 4096 holds
    // any 200-character value percent-encoded.
    maxParamLength: 4096,
    ...(options.api && { bodyLimit: options.api.bodyLimit }),
  });
  app.decorate('logger', logger);
  app.decorate('serviceConfig', config);

  const failures = new WeakMap<FastifyRequest, unknown>();

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = statusOf(error);
    const code = typeof error.code === 'string' && error.code !== '' ? error.code : undefined;
    if (status >= 500) {
      // Internals stay in the log; the caller gets the code and the reason phrase.
      failures.set(request, error);
      const body: ErrorBody = {
        error: reason(status),
        code: code ?? 'INTERNAL_ERROR',
        message: reason(status),
      };
      return reply.code(status).send(body);
    }
    if (error instanceof HttpError) reply.headers(error.headers);
    const body: ErrorBody =
      code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? {
            error: reason(status),
            code: 'BODY_TOO_LARGE',
            message: `the request body is larger than ${options.api?.bodyLimit ?? 1024 * 1024} bytes${options.api ? ' (API_BODY_LIMIT_BYTES)' : ''}`,
          }
        : {
            error: reason(status),
            code: code ?? `HTTP_${status}`,
            message: error instanceof HttpError ? error.reason : error.message,
          };
    return reply.code(status).send(body);
  });

  const methodsOf = routeMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = methodsOf(path);
    if (allowed.length > 0) {
      const body: ErrorBody = {
        error: reason(405),
        code: 'METHOD_NOT_ALLOWED',
        message: `${path} answers ${allowed.join(', ')}, not ${request.method}`,
      };
      return reply.code(405).header('allow', allowed.join(', ')).send(body);
    }
    const body: ErrorBody = {
      error: reason(404),
      code: 'ROUTE_NOT_FOUND',
      message: `no route for ${request.method} ${path}`,
    };
    return reply.code(404).send(body);
  });

  app.addHook('onResponse', (request, reply, next) => {
    // A thrown error is logged at error; a deliberate 503 (draining, not ready) is not one.
    const failure = failures.get(request);
    const failed = failure !== undefined;
    if (failed || logger.isLevelEnabled('debug')) {
      const fields = {
        request_id: request.id,
        method: request.method,
        route: request.routeOptions.url ?? null,
        // The query string can carry tokens; the path is enough to find the request.
        path: request.url.split('?')[0],
        status_code: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      };
      if (failed) logger.error('request failed', { ...fields, err: failure });
      else logger.debug('request completed', fields);
    }
    next();
  });

  // Before any route, so each route's schema says how it is guarded when the document is made.
  if (options.api) registerApiAuth(app, options.api);
  if (options.openapi) {
    const { registerOpenApi } = await import('./openapi.ts');
    await registerOpenApi(app, options.openapi);
  }
  await app.register(healthPlugin, { readiness: options.readiness });
  await app.register(metricsPlugin, { registry: options.registry });
  const { routes } = options;
  if (routes) {
    await app.register(async (scope) => {
      await routes(scope);
    });
  }
  return app;
}
