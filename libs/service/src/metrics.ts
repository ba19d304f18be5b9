import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, type Registry } from 'prom-client';

export interface MetricsPluginOptions {
  /** The service's registry; libraries register their metrics on the same one. */
  readonly registry: Registry;
  /** Process and Node.js metrics (CPU, memory, event loop lag, GC); on by default. */
  readonly defaultMetrics?: boolean;
  /** Histogram buckets in seconds for http_request_duration_seconds. */
  readonly buckets?: readonly number[];
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly metricsRegistry: Registry;
  }
}

const DURATION = 'http_request_duration_seconds';
const labelNames = ['method', 'route', 'status_code'] as const;
type DurationLabel = (typeof labelNames)[number];

function requestDuration(
  registry: Registry,
  buckets?: readonly number[],
): Histogram<DurationLabel> {
  // Two apps on one registry (tests, a sidecar port) share the histogram.
  const existing = registry.getSingleMetric(DURATION);
  if (existing) return existing as Histogram<DurationLabel>;
  return new Histogram({
    name: DURATION,
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames,
    registers: [registry],
    ...(buckets ? { buckets: [...buckets] } : {}),
  });
}

function metrics(app: FastifyInstance, options: MetricsPluginOptions, done: () => void): void {
  const { registry } = options;
  if (options.defaultMetrics !== false && !registry.getSingleMetric('process_cpu_seconds_total')) {
    collectDefaultMetrics({ register: registry });
  }
  const duration = requestDuration(registry, options.buckets);

  app.decorate('metricsRegistry', registry);

  app.addHook('onResponse', (request, reply, next) => {
    duration.observe(
      {
        method: request.method,
        // The route template, never the raw URL: unmatched paths would explode cardinality.
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    next();
  });

  const schema = {
    summary: 'Prometheus metrics in the text exposition format',
    tags: ['probes'],
    response: {
      200: {
        description: "The service's metrics, consumer lag and process metrics.",
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    },
  };
  app.get('/metrics', { schema }, async (_request, reply) => {
    const body = await registry.metrics();
    return reply.header('content-type', registry.contentType).send(body);
  });

  done();
}

/** GET /metrics from the given registry, default process metrics and the request histogram. */
export const metricsPlugin = fp(metrics, { name: '@paxfleet/service/metrics', fastify: '5.x' });
