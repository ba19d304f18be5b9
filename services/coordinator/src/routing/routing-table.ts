import { ServiceError } from '@paxfleet/service';
import type { RoutingTable, TaskRoute } from './task-router.ts';

/** Parses TASK_ROUTES; every route must target a task topic the coordinator can write. */
export function parseRoutingTable(json: string, taskTopics: readonly string[]): RoutingTable {
  const invalid = (problem: string) =>
    new ServiceError('SERVICE_CONFIG_INVALID', `TASK_ROUTES ${problem}`, {
      details: { variable: 'TASK_ROUTES' },
    });
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid(
      'must be JSON such as {"research":{"topic":"research-tasks","group":"paxfleet-research"}}',
    );
  }
  if (
    typeof raw !== 'object' ||
    raw === null ||
    Array.isArray(raw) ||
    Object.keys(raw).length === 0
  ) {
    throw invalid('must map at least one task type to { topic, group }');
  }
  const table: Record<string, TaskRoute> = {};
  for (const [type, route] of Object.entries(
    raw as Record<string, { topic?: unknown; group?: unknown }>,
  )) {
    if (typeof route?.topic !== 'string' || !taskTopics.includes(route.topic)) {
      throw invalid(`route "${type}" must name a task topic (${taskTopics.join(', ')})`);
    }
    if (typeof route.group !== 'string' || route.group === '')
      throw invalid(`route "${type}" needs the consumer group to watch`);
    table[type] = { topic: route.topic as TaskRoute['topic'], group: route.group };
  }
  return table;
}
