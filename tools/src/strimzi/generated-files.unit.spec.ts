import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseYamlDocuments } from '../kubernetes-yaml.ts';
import { testCatalog } from '../testing.ts';
import { drift, HEADER, layoutUnder, renderFiles } from './generated-files.ts';

const root = mkdtempSync(join(tmpdir(), 'gen-k8s-topics-'));
after(() => rmSync(root, { recursive: true, force: true }));

const catalog = testCatalog(
  [
    { name: 'tasks' },
    {
      name: 'events',
      retention: '30d',
      tiers: { hot: '7d', archive: '90d' },
      blobPrefix: 'events/',
    },
  ],
  { research: { consumes: ['tasks'], produces: ['events'] } },
);
const layout = layoutUnder(root);

function writeAll(files: ReadonlyMap<string, string>) {
  for (const [file, text] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

describe('generated files', () => {
  it('gives a KafkaTopic per topic (plain and tiered), a KafkaUser per agent (SCRAM and tls), the blob expiries and the chart agents', () => {
    const files = renderFiles(catalog, layout);
    assert.deepEqual(
      [...files.keys()].map((file) => file.slice(root.length + 1)),
      [
        'k8s/topics/tasks.yaml',
        'k8s/topics/tiered-storage/tasks.yaml',
        'k8s/topics/events.yaml',
        'k8s/topics/tiered-storage/events.yaml',
        'helm/paxfleet/files/blob-retention.yaml',
        'helm/paxfleet/files/agents.yaml',
        'k8s/users/research.yaml',
        'k8s/users/tls/research.yaml',
      ],
    );
    for (const text of files.values()) assert.ok(text.startsWith(HEADER));
    assert.deepEqual(
      parseYamlDocuments(files.get(layout.blobRetentionFile) ?? '', 'blob-retention'),
      [
        {
          retentions: [
            { prefix: 'events/', topic: 'events', days: 90 },
            { prefix: 'archive/events/', topic: 'events', days: 90 },
          ],
        },
      ],
    );
    assert.deepEqual(parseYamlDocuments(files.get(layout.agentsFile) ?? '', 'agents'), [
      {
        agents: {
          research: { autoscaling: { consumerGroup: 'paxfleet-research', topics: ['tasks'] } },
        },
      },
    ]);
  });

  it('writes YAML that reads back as the resource, quoting what a YAML 1.1 reader would misread', () => {
    const text = renderFiles(catalog, layout).get(join(layout.topicsDir, 'tasks.yaml')) ?? '';
    assert.match(text, /^ {4}retention\.ms: 604800000$/m);
    const [resource] = parseYamlDocuments(text, 'tasks.yaml') as {
      spec: { config: Record<string, unknown> };
    }[];
    assert.deepEqual(resource?.spec.config, {
      'cleanup.policy': 'delete',
      'min.insync.replicas': 2,
      'retention.ms': 604_800_000,
    });
  });

  it('finds no drift once written, and names every file missing, changed or not in the catalog', () => {
    const files = renderFiles(catalog, layout);
    writeAll(files);
    assert.deepEqual(drift(files, layout, root), []);

    rmSync(join(layout.topicsDir, 'tasks.yaml'));
    writeFileSync(join(layout.usersDir, 'research.yaml'), `${HEADER}edited: true\n`);
    writeFileSync(join(layout.tieredDir, 'gone.yaml'), HEADER);
    assert.deepEqual(drift(files, layout, root), [
      'k8s/topics/tasks.yaml: missing',
      'k8s/users/research.yaml: differs from the catalog',
      'k8s/topics/tiered-storage/gone.yaml: not in the catalog',
    ]);
  });
});
