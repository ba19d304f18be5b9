import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalog, SchemaSet, type AvroSchema, type TopicCatalog } from '@paxfleet/events';
import { readJsonFile } from './json-file.ts';
import { repository } from './repository.ts';

/** The folder of the event schemas and the topic catalog. */
export const schemasDir = join(repository, 'schemas');
export const catalogFile = join(schemasDir, 'topics.json');

/** Every schemas/<event>/v<n>.avsc on disk, as SchemaSet takes them. */
function readSchemaSources(dir: string): Record<string, Record<number, AvroSchema>> {
  const sources: Record<string, Record<number, AvroSchema>> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const versions: Record<number, AvroSchema> = {};
    for (const file of readdirSync(join(dir, entry.name))) {
      const match = /^v(\d+)\.avsc$/.exec(file);
      if (match)
        versions[Number(match[1])] = readJsonFile(join(dir, entry.name, file)) as AvroSchema;
    }
    sources[entry.name] = versions;
  }
  return sources;
}

/**
 * schemas/topics.json as it is on disk now, checked against the schemas beside it by the
 * events library's own parser (durations included); throws EventsError CATALOG_INVALID.
 */
export function readCatalog(dir = schemasDir): TopicCatalog {
  return parseCatalog(
    readJsonFile(join(dir, 'topics.json')),
    new SchemaSet(readSchemaSources(dir)),
  );
}
