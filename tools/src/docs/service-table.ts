import type { TopicCatalog } from '@paxfleet/events';

/** Topics every service writes, said once under the table instead of on every row. */
const EVERY_SERVICE_WRITES = new Set(['agent-progress', 'agent-activity', 'dead-letters']);

/** The README's table of services, from their declarations in the topic catalog. */
export function renderServiceTable(catalog: TopicCatalog): string {
  const rows = catalog.agents.map((agent) => {
    const produces = agent.produces.filter((topic) => !EVERY_SERVICE_WRITES.has(topic));
    return `| ${agent.name} | ${agent.port} | ${agent.consumes.join(', ')} | ${produces.join(', ')} | ${agent.summary} |`;
  });
  return [
    '| service | local port | consumes | produces | what it does |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
