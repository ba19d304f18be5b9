import type { AgentSpec, TopicCatalog } from '@paxfleet/events';

/** What the chart takes from the catalog for one agent: the group and topics KEDA scales it on. */
export interface ChartAgent {
  readonly autoscaling: {
    readonly consumerGroup: string;
    readonly topics: readonly string[];
  };
}

/**
 * The topics whose lag scales an agent: those it consumes that are not compacted. A
 * compacted topic (content-claims) keeps the latest record per key, so its lag is no
 * measure of work waiting.
 */
export function scalingTopics(agent: AgentSpec, catalog: TopicCatalog): string[] {
  return agent.consumes.filter(
    (topic) => !catalog.topic(topic).cleanupPolicy.split(',').includes('compact'),
  );
}

/**
 * helm/paxfleet/files/agents.yaml: every agent of the catalog, by name, with the consumer
 * group and topics its ScaledObject watches. The chart renders one component per entry.
 */
export function chartAgents(catalog: TopicCatalog): { agents: Record<string, ChartAgent> } {
  return {
    agents: Object.fromEntries(
      catalog.agents.map((agent) => [
        agent.name,
        {
          autoscaling: { consumerGroup: agent.group, topics: scalingTopics(agent, catalog) },
        },
      ]),
    ),
  };
}
