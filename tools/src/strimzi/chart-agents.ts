import type { AgentSpec, TopicCatalog } from '@paxfleet/events';

/** What the chart takes from the catalog for one agent: the group and topics KEDA scales it on. */
export interface ChartAgent {
  /** Only for an optional agent (the dashboard): off until components.<name>.enabled turns it on. */
  readonly enabled?: false;
  readonly autoscaling: {
    /** Only for an agent with nothing to scale on: KEDA stays off whatever `default` says. */
    readonly enabled?: false;
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
 * group and topics its ScaledObject watches. The chart renders one component per entry;
 * an optional agent's entry is disabled, and one with no topic to scale on (it reads
 * outside any group) has autoscaling off.
 */
export function chartAgents(catalog: TopicCatalog): { agents: Record<string, ChartAgent> } {
  return {
    agents: Object.fromEntries(
      catalog.agents.map((agent): [string, ChartAgent] => {
        const topics = scalingTopics(agent, catalog);
        return [
          agent.name,
          {
            ...(agent.optional && { enabled: false as const }),
            autoscaling: {
              ...(topics.length === 0 && { enabled: false as const }),
              consumerGroup: agent.group,
              topics,
            },
          },
        ];
      }),
    ),
  };
}
