import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCatalog } from '../catalog.ts';
import { testCatalog } from '../testing.ts';
import { chartAgents } from './chart-agents.ts';

describe('chart agents', () => {
  it('scales each agent on the topics it consumes that are not compacted, in its group', () => {
    const catalog = testCatalog(
      [
        { name: 'tasks' },
        { name: 'claims', cleanupPolicy: 'compact,delete' },
        { name: 'state', cleanupPolicy: 'compact' },
      ],
      {
        worker: { consumes: ['tasks', 'claims'] },
        watcher: { group: 'watchers', consumes: ['state'] },
      },
    );
    assert.deepEqual(chartAgents(catalog), {
      agents: {
        worker: { autoscaling: { consumerGroup: 'paxfleet-worker', topics: ['tasks'] } },
        watcher: { autoscaling: { enabled: false, consumerGroup: 'watchers', topics: [] } },
      },
    });
  });

  it('leaves an optional agent off, and one that reads outside any group unscaled', () => {
    const catalog = testCatalog([{ name: 'tasks' }], {
      board: { reads: ['tasks'], optional: true },
    });
    assert.deepEqual(chartAgents(catalog), {
      agents: {
        board: {
          enabled: false,
          autoscaling: { enabled: false, consumerGroup: 'paxfleet-board', topics: [] },
        },
      },
    });
  });

  it("gives the chart each agent of this repository's catalog, with its group and the topics it scales on", () => {
    const scaled = Object.entries(chartAgents(readCatalog()).agents).map(
      ([name, { autoscaling }]) => [name, autoscaling.consumerGroup, autoscaling.topics],
    );
    assert.deepEqual(scaled, [
      ['coordinator', 'paxfleet-coordinator', ['claim-requests']],
      ['research', 'paxfleet-research', ['research-tasks']],
      ['marketing', 'paxfleet-marketing', ['research-events']],
      ['sales', 'paxfleet-sales', ['research-events']],
      ['content', 'paxfleet-content', ['research-events']],
      ['seo', 'paxfleet-seo', ['content-results']],
      ['oracle', 'paxfleet-oracle', ['research-events', 'content-results']],
      [
        'archiver',
        'paxfleet-archiver',
        [
          'research-tasks',
          'research-events',
          'content-results',
          'agent-activity',
          'model-calls',
          'seo-reports',
          'audit-findings',
        ],
      ],
      ['dashboard', 'paxfleet-dashboard', []],
    ]);
  });
});
