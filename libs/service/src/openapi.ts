import type { FastifyInstance } from 'fastify';
import swagger, { type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { BEARER_SCHEME } from './api-auth.ts';
import { DOCS_PREFIX, OPENAPI_PATH } from './http-schemas.ts';

/**
 * An OpenAPI link: a value of one answer that is a parameter of another operation (the
 * workflow id of a 202 is GET /workflows/{id}'s id), for readers and for fuzzers that
 * chain requests. Route schemas cannot carry links, so they are added to the document.
 */
export interface OpenApiLink {
  /** The answer that supplies the value: its path as the document writes it, method, status. */
  readonly path: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly status: string;
  readonly name: string;
  /** The operation it leads to (its route schema's operationId). */
  readonly operationId: string;
  /** Parameter name to runtime expression, e.g. { id: '$response.body#/workflow_id' }. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** What a service's API document says about it. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly links?: readonly OpenApiLink[];
}

type Responses = Record<string, { links?: Record<string, unknown> }>;

function withLinks(document: Parameters<SwaggerTransformObject>[0], links: readonly OpenApiLink[]) {
  if (!('openapiObject' in document)) return document.swaggerObject;
  const paths = (document.openapiObject.paths ?? {}) as Record<
    string,
    Record<string, { responses?: Responses }>
  >;
  for (const link of links) {
    const response = paths[link.path]?.[link.method]?.responses?.[link.status];
    if (!response) continue;
    response.links = {
      ...response.links,
      [link.name]: { operationId: link.operationId, parameters: link.parameters },
    };
  }
  return document.openapiObject;
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
      // The routes that ask for a token name it in their `security` (see registerApiAuth).
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description: "One of the service's API_TOKENS, as `Authorization: Bearer <token>`.",
          },
        },
      },
    },
    transformObject: (document) => withLinks(document, info.links ?? []),
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, () => app.swagger());
}
