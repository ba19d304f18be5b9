import { writeFileSync } from 'node:fs';
import { generateTypes, readSchemaSources } from '../codegen.ts';

const target = new URL('../generated/events.ts', import.meta.url);
writeFileSync(target, generateTypes(readSchemaSources()));
console.log(`wrote ${target.pathname}`);
