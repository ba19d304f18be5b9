import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventRegistry } from '@paxfleet/events';
import { repository } from '../repository.ts';
import { renderConfigurationReference } from './configuration.ts';
import { renderServiceTable } from './service-table.ts';

const START = '<!-- services: generated from schemas/topics.json by tools/src/gen-docs.ts -->';
const END = '<!-- /services -->';

/** A generated document: where it goes and what it should hold. */
export interface GeneratedDoc {
  readonly path: string;
  readonly expected: string;
}

/** README.md with its service table as the catalog has it. */
function readmeWithServiceTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

/** The documents generated from the catalog and the configuration schemas. */
export function generatedDocs(): GeneratedDoc[] {
  const catalog = eventRegistry().catalog;
  const readme = join(repository, 'README.md');
  return [
    {
      path: join(repository, 'docs', 'configuration.md'),
      expected: renderConfigurationReference(catalog),
    },
    {
      path: readme,
      expected: readmeWithServiceTable(readFileSync(readme, 'utf8'), renderServiceTable(catalog)),
    },
  ];
}
