// node --conditions=paxfleet-source tools/src/gen-docs.ts [--check]
// Writes docs/configuration.md (every variable of every service, from their configuration
// schemas) and README.md's service table (from the agents in schemas/topics.json);
// --check only says which is out of date, and exits 1.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generatedDocs } from './docs/docs.ts';
import { repository } from './repository.ts';

const check = process.argv.includes('--check');
let stale = 0;
for (const doc of generatedDocs()) {
  const current = existsSync(doc.path) ? readFileSync(doc.path, 'utf8') : '';
  if (current === doc.expected) continue;
  if (check) {
    stale += 1;
    console.error(
      `${relative(repository, doc.path)} is out of date: run node --conditions=paxfleet-source tools/src/gen-docs.ts`,
    );
  } else {
    writeFileSync(doc.path, doc.expected);
    console.log(`wrote ${relative(repository, doc.path)}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
