import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';

/** A route's schema with what the API document shows of it (a service need not load the document's types). */
export interface RouteSchema extends FastifySchema {
  /** The operation's name in the document, for links and generated clients. */
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
}

/** Where a service with an API document serves it, and its browsable page; neither is in the document. */
export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';

/** The body of every 4xx and 5xx answer (see buildService's error handler). */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.String({ description: 'The HTTP reason phrase, e.g. "Bad Request".' }),
    code: Type.String({
      description:
        "What kind of error: a route's own code (e.g. UNKNOWN_TASK_TYPE), FST_ERR_VALIDATION for a request that fails its schema, ROUTE_NOT_FOUND, INTERNAL_ERROR.",
    }),
    message: Type.String({
      description:
        'What is wrong, e.g. `body/topic must match pattern "..."`; the reason phrase for a 5xx.',
    }),
  },
  { additionalProperties: false },
);

export type ErrorBody = Static<typeof ErrorBodySchema>;

/**
 * An error answer with what it means, for a route's `response` schema: the shape inline
 * (no shared $ref), so the serializer and the document need no schema registry.
 */
export function errorReply(description: string): TSchema {
  return Type.Object(ErrorBodySchema.properties, { additionalProperties: false, description });
}
