import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { DOCS_PREFIX, OPENAPI_PATH } from './http-schemas.ts';

/** What a service's API document says about it. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/**
 * The OpenAPI 3.1 document made from the route schemas (3.1, so a nullable field is JSON
 * Schema's `type: ['string', 'null']` as TypeBox writes it), at /openapi.json, and Swagger
 * UI at /docs from the package's own files (no CDN). Registered before any route: the
 * document is collected as routes are added.
 */
export async function registerOpenApi(app: FastifyInstance, info: OpenApiInfo): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version, description: info.description },
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, () => app.swagger());
}
