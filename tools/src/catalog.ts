import { join } from 'node:path';
import {
  parseCatalog,
  readSchemaSources,
  SchemaSet,
  type SchemaSources,
  type TopicCatalog,
} from '@paxfleet/events';
import { repository } from './repository.ts';
import { ToolError } from './tool-error.ts';

/** The folder of the event schemas and the topic catalog. */
export const schemasDir = join(repository, 'schemas');
export const catalogFile = join(schemasDir, 'topics.json');

/** The events library's read of a schemas folder; a file there that is not JSON is a ToolError. */
function schemaSources(dir: string): SchemaSources {
  try {
    return readSchemaSources(dir);
  } catch (cause) {
    if (!(cause instanceof SyntaxError)) throw cause;
    throw new ToolError(
      'JSON_INVALID',
      `${dir}: topics.json or a schema beside it is not JSON: ${cause.message}`,
      { cause },
    );
  }
}

/**
 * schemas/topics.json as it is on disk now, with the schemas beside it, read and checked by
 * the events library's own reader and parser (durations included); throws EventsError
 * CATALOG_INVALID.
 */
export function readCatalog(dir = schemasDir): TopicCatalog {
  const sources = schemaSources(dir);
  return parseCatalog(sources.catalog, new SchemaSet(sources.schemas));
}
