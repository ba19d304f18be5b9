import { parseCatalog, SchemaSet, type TopicCatalog } from '@paxfleet/events';

/** The one event schema test catalogs use. */
const schemas = new SchemaSet({
  task: { 1: { type: 'record', name: 'Task', fields: [{ name: 'id', type: 'string' }] } },
});

interface TestTopic {
  readonly name: string;
  readonly retention?: string;
  readonly tiers?: { readonly hot: string; readonly archive: string };
  readonly blobPrefix?: string;
  readonly cleanupPolicy?: string;
  readonly minInsyncReplicas?: number;
}

interface TestAgent {
  readonly group?: string;
  readonly consumes?: readonly string[];
  readonly produces?: readonly string[];
  readonly reads?: readonly string[];
  readonly describesAllGroups?: boolean;
  readonly optional?: boolean;
}

/** A catalog parsed by @paxfleet/events from the topics and agents given, with defaults for the rest. */
export function testCatalog(
  topics: readonly TestTopic[],
  agents: Readonly<Record<string, TestAgent>> = {},
): TopicCatalog {
  let port = 7000;
  return parseCatalog(
    {
      defaults: { replicationFactor: 3, minInsyncReplicas: 2 },
      topics: topics.map((topic) => ({
        key: 'id',
        valueSchema: 'task',
        partitions: 6,
        cleanupPolicy: 'delete',
        retention: '7d',
        ...topic,
      })),
      agents: Object.fromEntries(
        Object.entries(agents).map(([name, agent]) => [
          name,
          {
            summary: `the ${name} agent`,
            port: (port += 1),
            group: `paxfleet-${name}`,
            consumes: [],
            produces: [],
            ...agent,
          },
        ]),
      ),
    },
    schemas,
  );
}
