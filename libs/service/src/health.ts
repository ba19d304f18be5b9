import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ServiceError } from './errors.ts';

/**
 * true (or "ok") when ready; false or a short reason ("not joined") when not.
 * Synchronous on purpose: a probe reads state the clients keep, it does no I/O.
 */
export type ReadinessCheck = () => boolean | string;

export interface ReadinessReport {
  readonly ready: boolean;
  /** Each check by name: "ok" or why it is not ready. */
  readonly checks: Readonly<Record<string, string>>;
}

/** The named conditions /readyz requires, such as "kafka-producer" and "consumer-group". */
export class ReadinessRegistry {
  readonly #checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): this {
    if (this.#checks.has(name)) {
      throw new ServiceError(
        'SERVICE_READINESS_CHECK_DUPLICATE',
        `a readiness check named "${name}" is already registered`,
        { details: { check: name } },
      );
    }
    this.#checks.set(name, check);
    return this;
  }

  remove(name: string): boolean {
    return this.#checks.delete(name);
  }

  names(): string[] {
    return [...this.#checks.keys()];
  }

  evaluate(): ReadinessReport {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of this.#checks) {
      const outcome = runCheck(check);
      checks[name] = outcome;
      if (outcome !== 'ok') ready = false;
    }
    return { ready, checks };
  }
}

function runCheck(check: ReadinessCheck): string {
  let result: unknown;
  try {
    result = check();
  } catch (error) {
    return `check failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (result === true) return 'ok';
  if (result === false || result === '') return 'not ready';
  if (typeof result === 'string') return result;
  return 'check returned neither a boolean nor a string';
}

export interface HealthPluginOptions {
  /** The checks /readyz runs; a new, empty registry when not given. */
  readonly readiness?: ReadinessRegistry;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly readiness: ReadinessRegistry;
    /** True from the moment shutdown starts: /healthz and /readyz answer 503. */
    readonly draining: boolean;
    startDraining(): void;
  }
}

const Checks = Type.Record(Type.String(), Type.String(), {
  description: 'Each readiness check by name: "ok" or why it is not ready.',
});
const healthzSchema = {
  summary: 'Liveness: the process answers',
  tags: ['probes'],
  response: {
    200: Type.Object({ status: Type.Literal('ok') }, { description: 'Alive.' }),
    503: Type.Object({ status: Type.Literal('draining') }, { description: 'Shutting down.' }),
  },
};
const readyzSchema = {
  summary: 'Readiness: every check passes (Kafka clients connected, groups joined, logs read)',
  tags: ['probes'],
  response: {
    200: Type.Object(
      { status: Type.Literal('ready'), checks: Checks },
      { description: 'Ready for traffic.' },
    ),
    503: Type.Object(
      { status: Type.Union([Type.Literal('not ready'), Type.Literal('draining')]), checks: Checks },
      { description: 'Not ready (the checks say why) or shutting down.' },
    ),
  },
};

function health(app: FastifyInstance, options: HealthPluginOptions, done: () => void): void {
  const readiness = options.readiness ?? new ReadinessRegistry();
  let draining = false;

  app.decorate('readiness', readiness);
  app.decorate('draining', { getter: () => draining });
  app.decorate('startDraining', () => {
    draining = true;
  });
  // app.close() without runService drains too.
  app.addHook('preClose', (next) => {
    draining = true;
    next();
  });

  app.get('/healthz', { schema: healthzSchema }, (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    if (draining) return reply.code(503).send({ status: 'draining' });
    return reply.send({ status: 'ok' });
  });

  app.get('/readyz', { schema: readyzSchema }, (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    const { ready, checks } = readiness.evaluate();
    if (draining) return reply.code(503).send({ status: 'draining', checks });
    if (!ready) return reply.code(503).send({ status: 'not ready', checks });
    return reply.send({ status: 'ready', checks });
  });

  done();
}

/** GET /healthz (liveness) and GET /readyz (every readiness check passes). */
export const healthPlugin = fp(health, { name: '@paxfleet/service/health', fastify: '5.x' });
