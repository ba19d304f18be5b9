import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCatalog, parseDuration } from './catalog.ts';
import { generateTypes, readSchemaSources } from './codegen.ts';
import { eventRegistry } from './registry.ts';
import { topicConfigs } from './topic-admin.ts';

describe('topic catalog', () => {
  const { catalog, schemas } = eventRegistry();

  it('covers every topic of the architecture with a schema that exists', () => {
    assert.deepEqual(catalog.topics.map((topic) => topic.name).sort(), [
      'agent-activity',
      'agent-progress',
      'audit-findings',
      'claim-requests',
      'content-claims',
      'content-results',
      'dead-letters',
      'research-events',
      'research-tasks',
      'seo-reports',
    ]);
    for (const topic of catalog.topics) assert.ok(schemas.latest(topic.valueSchema));
  });

  it('co-partitions claim-requests with content-claims so one coordinator owns both sides of a key', () => {
    assert.equal(
      catalog.topic('claim-requests').partitions,
      catalog.topic('content-claims').partitions,
    );
  });

  it('parses durations and rejects bad ones', () => {
    assert.equal(parseDuration('24h', 'x'), 86_400_000);
    assert.equal(parseDuration('7d', 'x'), 604_800_000);
    assert.equal(parseDuration('forever', 'x'), -1);
    assert.throws(
      () => parseDuration('1 week', 'topic a retention'),
      /CATALOG_INVALID: .*topic a retention must be a duration/,
    );
  });

  it('rejects a topic whose schema does not exist, naming it', () => {
    const source = readSchemaSources().catalog as { topics: { valueSchema: string }[] };
    const broken = structuredClone(source);
    (broken.topics[0] as { valueSchema: string }).valueSchema = 'no-such-event';
    assert.throws(
      () => parseCatalog(broken, schemas),
      /valueSchema "no-such-event" has no folder in schemas/,
    );
  });

  it('keeps the hot tier on the broker and adds the warm tier where tiered storage exists', () => {
    const events = catalog.topic('research-events');
    assert.deepEqual(topicConfigs(events, { brokerCount: 1 }), {
      'cleanup.policy': 'delete',
      'min.insync.replicas': '1',
      'retention.ms': '604800000',
    });
    assert.deepEqual(topicConfigs(events, { brokerCount: 3, tieredStorage: true }), {
      'cleanup.policy': 'delete',
      'min.insync.replicas': '2',
      'remote.storage.enable': 'true',
      'local.retention.ms': '604800000',
      'retention.ms': String(604_800_000 + 30 * 86_400_000),
    });
  });
});

describe('generated types', () => {
  it('match schemas/ (run `pnpm --filter @paxfleet/events generate` after changing a schema)', () => {
    const committed = readFileSync(new URL('./generated/events.ts', import.meta.url), 'utf8');
    assert.equal(committed, generateTypes(readSchemaSources()));
  });
});
