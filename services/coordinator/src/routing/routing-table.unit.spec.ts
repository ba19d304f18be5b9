import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseRoutingTable } from './routing-table.ts';

it('parses TASK_ROUTES and names the variable for every problem', () => {
  assert.deepEqual(
    parseRoutingTable('{"research":{"topic":"research-tasks","group":"paxfleet-research"}}', [
      'research-tasks',
    ]),
    {
      research: { topic: 'research-tasks', group: 'paxfleet-research' },
    },
  );
  assert.throws(
    () => parseRoutingTable('not json', ['research-tasks']),
    /SERVICE_CONFIG_INVALID: TASK_ROUTES must be JSON/,
  );
  assert.throws(
    () => parseRoutingTable('{}', ['research-tasks']),
    /TASK_ROUTES must map at least one task type/,
  );
  assert.throws(
    () => parseRoutingTable('{"seo":{"topic":"seo-reports","group":"g"}}', ['research-tasks']),
    /TASK_ROUTES route "seo" must name a task topic \(research-tasks\)/,
  );
  assert.throws(
    () => parseRoutingTable('{"research":{"topic":"research-tasks"}}', ['research-tasks']),
    /needs the consumer group/,
  );
});
