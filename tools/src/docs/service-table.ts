import type { TopicCatalog } from '@paxfleet/events';

/** Topics every service writes, said once under the table instead of on every row. */
const EVERY_SERVICE_WRITES = new Set(['agent-progress', 'agent-activity', 'dead-letters']);

/** The README's table of services, from their declarations in the topic catalog. */
export function renderServiceTable(catalog: TopicCatalog): string {
  const everyTopic = (topics: readonly string[]) =>
    catalog.topics.every((topic) => topics.includes(topic.name));
  const rows = catalog.agents.map((agent) => {
    const produces = agent.produces.filter((topic) => !EVERY_SERVICE_WRITES.has(topic));
    // Topics read outside any consumer group are said so; all of them in two words.
    const reads =
      agent.reads.length === 0
        ? []
        : [`reads ${everyTopic(agent.reads) ? 'every topic' : agent.reads.join(', ')} (no group)`];
    const consumes = [...agent.consumes, ...reads].join(', ');
    return `| ${agent.name} | ${agent.port} | ${consumes} | ${produces.join(', ')} | ${agent.summary} |`;
  });
  return [
    '| service | local port | consumes | produces | what it does |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
