import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCompatibility } from './compatibility.ts';
import { readSchemaSources } from './codegen.ts';
import type { AvroSchema } from './avro/schema-set.ts';

const sources = readSchemaSources();
const researchEvent = sources.schemas['research-event'] as Record<number, AvroSchema>;
const v2 = researchEvent[2] as { fields: object[] };

function withV3(fields: object[]): Record<string, Record<number, AvroSchema>> {
  return { 'research-event': { ...researchEvent, 3: { ...v2, fields } as AvroSchema } };
}

describe('schema evolution guard', () => {
  it('every version of every schema in schemas/ is backward and forward compatible with all earlier ones', () => {
    assert.deepEqual(checkCompatibility(sources.schemas), []);
  });

  it('fails a new required field without a default (new readers cannot read old data)', () => {
    const problems = checkCompatibility(withV3([...v2.fields, { name: 'priority', type: 'int' }]));
    assert.ok(
      problems.some(
        (problem) =>
          problem.direction === 'backward' && problem.reader === 3 && problem.writer === 1,
      ),
    );
  });

  it('fails removing a field that old readers need (old readers cannot read new data)', () => {
    const withoutTopic = v2.fields.filter((field) => (field as { name: string }).name !== 'topic');
    const problems = checkCompatibility(withV3(withoutTopic));
    assert.ok(
      problems.some(
        (problem) =>
          problem.direction === 'forward' && problem.reader === 1 && problem.writer === 3,
      ),
    );
  });

  it('fails changing a field to an unrelated type', () => {
    const retyped = v2.fields.map((field) =>
      (field as { name: string }).name === 'timestamp'
        ? { name: 'timestamp', type: 'string' }
        : field,
    );
    assert.ok(checkCompatibility(withV3(retyped)).length > 0);
  });
});
