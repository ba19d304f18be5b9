import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configReference } from '@paxfleet/core';
import { eventRegistry } from '@paxfleet/events';
import { serviceConfigs } from './configuration.ts';
import { generatedDocs } from './docs.ts';

describe('generated docs', () => {
  it('match the configuration schemas and the catalog (run tools/src/gen-docs.ts after changing either)', () => {
    for (const doc of generatedDocs()) {
      assert.equal(readFileSync(doc.path, 'utf8'), doc.expected, `${doc.path} is out of date`);
    }
  });

  it('describe every variable', () => {
    for (const [service, config] of serviceConfigs(eventRegistry().catalog)) {
      for (const row of configReference(config)) {
        assert.notEqual(row.description, '', `${service}: ${row.variable} has no description`);
      }
    }
  });
});
