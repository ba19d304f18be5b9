import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AvroSchema } from './avro/schema-set.ts';

/** The schemas/ folder of the repository this package lives in. */
export const schemasDir = new URL('../../../schemas/', import.meta.url).pathname;

export interface SchemaSources {
  readonly schemas: Record<string, Record<number, AvroSchema>>;
  readonly catalog: unknown;
}

export function readSchemaSources(dir = schemasDir): SchemaSources {
  const schemas: Record<string, Record<number, AvroSchema>> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true }).filter((item) =>
    item.isDirectory(),
  )) {
    const versions: Record<number, AvroSchema> = {};
    for (const file of readdirSync(join(dir, entry.name))) {
      const match = /^v(\d+)\.avsc$/.exec(file);
      if (match)
        versions[Number(match[1])] = JSON.parse(
          readFileSync(join(dir, entry.name, file), 'utf8'),
        ) as AvroSchema;
    }
    schemas[entry.name] = versions;
  }
  return { schemas, catalog: JSON.parse(readFileSync(join(dir, 'topics.json'), 'utf8')) };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Named = Map<string, string>;

function tsType(schema: Json, named: Named, declarations: string[], namespace: string): string {
  if (typeof schema === 'string') {
    switch (schema) {
      case 'null':
        return 'null';
      case 'boolean':
        return 'boolean';
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return 'number';
      case 'bytes':
        return 'Buffer';
      case 'string':
        return 'string';
      default:
        return (
          named.get(schema.includes('.') ? schema : `${namespace}.${schema}`) ??
          named.get(schema) ??
          'unknown'
        );
    }
  }
  if (Array.isArray(schema))
    return schema.map((branch) => tsType(branch, named, declarations, namespace)).join(' | ');
  if (schema === null || typeof schema !== 'object') return 'unknown';
  const type = schema.type as string;
  const space = typeof schema.namespace === 'string' ? schema.namespace : namespace;
  if (type === 'array') return `${tsType(schema.items as Json, named, declarations, space)}[]`;
  if (type === 'map')
    return `Record<string, ${tsType(schema.values as Json, named, declarations, space)}>`;
  if (type === 'fixed') return 'Buffer';
  if (type === 'enum' || type === 'record') {
    const name = schema.name as string;
    const tsName = name.split('.').pop() as string;
    named.set(name.includes('.') ? name : `${space}.${name}`, tsName);
    const doc = typeof schema.doc === 'string' ? `/** ${schema.doc} */\n` : '';
    if (type === 'enum') {
      const symbols = (schema.symbols as string[]).map((symbol) => `'${symbol}'`).join(' | ');
      declarations.push(`${doc}export type ${tsName} = ${symbols};`);
    } else {
      const fields = (schema.fields as { name: string; type: Json; doc?: string }[]).map(
        (field) => {
          const fieldDoc = field.doc ? `  /** ${field.doc} */\n` : '';
          return `${fieldDoc}  ${field.name}: ${tsType(field.type, named, declarations, space)};`;
        },
      );
      declarations.push(`${doc}export interface ${tsName} {\n${fields.join('\n')}\n}`);
    }
    return tsName;
  }
  return tsType(type, named, declarations, space);
}

/** TypeScript for the latest version of every event, the topic-to-event map, and the sources themselves. */
export function generateTypes(sources: SchemaSources): string {
  const events = Object.keys(sources.schemas).sort();
  const declarations: string[] = [];
  const eventTypes: string[] = [];
  for (const event of events) {
    const versions = sources.schemas[event] as Record<number, AvroSchema>;
    const latest = Math.max(...Object.keys(versions).map(Number));
    const typeName = tsType(versions[latest] as Json, new Map(), declarations, '');
    eventTypes.push(`  '${event}': ${typeName};`);
  }
  const catalog = sources.catalog as { topics: { name: string; valueSchema: string }[] };
  const topicValues = catalog.topics.map(
    (topic) => `  '${topic.name}': EventTypes['${topic.valueSchema}'];`,
  );
  return [
    '// Generated from schemas/ by `pnpm --filter @paxfleet/events generate`. Do not edit.',
    "import type { AvroSchema } from '../avro/schema-set.ts';",
    '',
    declarations.join('\n\n'),
    '',
    '/** The latest schema version of every event, by event name. */',
    `export interface EventTypes {\n${eventTypes.join('\n')}\n}`,
    '',
    '/** The value type of every topic in the catalog. */',
    `export interface TopicValues {\n${topicValues.join('\n')}\n}`,
    '',
    'export type EventName = keyof EventTypes;',
    'export type TopicName = keyof TopicValues;',
    '',
    `export const schemaSources: Record<string, Record<number, AvroSchema>> = ${JSON.stringify(sources.schemas, null, 2)};`,
    '',
    `export const catalogSource: unknown = ${JSON.stringify(sources.catalog, null, 2)};`,
    '',
  ].join('\n');
}
