import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventRegistry } from '@paxfleet/events';
import { taskRoutes } from './task-routes.ts';

it('routes each task type to the agent that consumes its topic, from the catalog', () => {
  assert.deepEqual(taskRoutes(eventRegistry().catalog), {
    research: { topic: 'research-tasks', group: 'paxfleet-research' },
  });
});
