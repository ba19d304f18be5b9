import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ReadinessRegistry } from '@paxfleet/service';
import { buildService, type BaseConfig, type ServiceLogger } from '@paxfleet/service';
import { coordinatorRoutes, type ClaimLookup } from './http/routes.ts';
import type { TaskRouter } from './routing/task-router.ts';

export interface CoordinatorDeps {
  readonly router: TaskRouter;
  readonly board: ClaimLookup;
  readonly registry: Registry;
  readonly logger: ServiceLogger;
  /** Readiness checks of the Kafka side: connected clients, joined group. */
  readonly readiness: ReadinessRegistry;
}

export function buildApp(deps: CoordinatorDeps, config: BaseConfig): Promise<FastifyInstance> {
  return buildService({
    config,
    logger: deps.logger,
    registry: deps.registry,
    readiness: deps.readiness,
    routes: coordinatorRoutes({ router: deps.router, board: deps.board }),
  });
}
