import type { TopicCatalog } from '@paxfleet/events';
import type { RoutingTable, TaskRoute } from './task-router.ts';

/**
 * The task types the coordinator accepts, from the topic catalog: each agent that
 * consumes a topic of research tasks the coordinator writes and handles them (reports on
 * agent-activity; the archiver only records them) is a type, by its name, and its
 * consumer group's backlog decides whether it takes more.
 */
export function taskRoutes(catalog: TopicCatalog): RoutingTable {
  const table: Record<string, TaskRoute> = {};
  for (const topic of catalog.agent('coordinator').produces) {
    if (catalog.topic(topic).valueSchema !== 'research-task') continue;
    for (const agent of catalog.agents) {
      if (agent.consumes.includes(topic) && agent.produces.includes('agent-activity')) {
        table[agent.name] = { topic: topic as TaskRoute['topic'], group: agent.group };
      }
    }
  }
  return table;
}
