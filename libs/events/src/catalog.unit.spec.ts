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
      'dead-letter-redrives',
      'dead-letters',
      'model-calls',
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

  it('keeps the hot tier on broker disks and the rest in the remote tier where tiered storage exists', () => {
    const events = catalog.topic('research-events');
    assert.deepEqual(topicConfigs(events, { brokerCount: 1 }), {
      'cleanup.policy': 'delete',
      'min.insync.replicas': '1',
      'retention.ms': String(30 * 86_400_000),
    });
    assert.deepEqual(topicConfigs(events, { brokerCount: 3, tieredStorage: true }), {
      'cleanup.policy': 'delete',
      'min.insync.replicas': '2',
      'retention.ms': String(30 * 86_400_000),
      'remote.storage.enable': 'true',
      'local.retention.ms': String(7 * 86_400_000),
    });
  });

  it('rejects a hot tier longer than the retention', () => {
    const source = structuredClone(readSchemaSources().catalog) as {
      topics: Record<string, unknown>[];
    };
    (source.topics[0] as Record<string, unknown>).tiers = { hot: '30d', archive: '90d' };
    assert.throws(
      () => parseCatalog(source, schemas),
      /tiers.hot must be a duration no longer than retention/,
    );
  });

  it('matches the Strimzi KafkaTopic manifests in k8s/topics, plain and tiered', () => {
    for (const [dir, tieredStorage] of [
      ['', false],
      ['tiered-storage/', true],
    ] as const) {
      for (const spec of catalog.topics) {
        const yaml = readFileSync(
          new URL(`../../../k8s/topics/${dir}${spec.name}.yaml`, import.meta.url),
          'utf8',
        );
        const config: Record<string, string> = {};
        for (const [, name, value] of (yaml.split('config:\n')[1] ?? '').matchAll(
          /^ {4}([a-z.]+): (.+)$/gm,
        )) {
          config[name as string] = (value as string).replace(/^"(.*)"$/, '$1');
        }
        assert.deepEqual(
          config,
          topicConfigs(spec, { brokerCount: 3, tieredStorage }),
          `${dir}${spec.name}`,
        );
      }
    }
  });
});

describe('generated types', () => {
  it('match schemas/ (run `pnpm --filter @paxfleet/events generate` after changing a schema)', () => {
    const committed = readFileSync(new URL('./generated/events.ts', import.meta.url), 'utf8');
    assert.equal(committed, generateTypes(readSchemaSources()));
  });
});
