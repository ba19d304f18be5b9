// A subpath of its own (@paxfleet/events/agent-acls): what each agent may do on Kafka, read
// from the catalog. tools/src/gen-k8s-topics.ts writes it into the Strimzi KafkaUsers and
// test/src/acl.int.spec.ts creates it on the test broker, so the test proves the manifests.
import {
  namespaced,
  UNJOINED_GROUP_PREFIX,
  type Acl,
  type AclOperation,
  type AclResource,
} from '@paxfleet/kafka';
import type { AgentSpec } from './catalog.ts';
import { EventsError } from './errors.ts';

/** The agent's Kafka user: the KafkaUser's name, the SCRAM username and the ACLs' principal. */
export function agentUser(agent: Pick<AgentSpec, 'name'>): string {
  return `paxfleet-${agent.name}`;
}

const acl = (resource: AclResource, operations: readonly AclOperation[]): Acl => ({
  resource,
  operations,
  host: '*',
});

/**
 * What the agent may do: read and describe what it consumes or reads, write and describe what
 * it produces, read its group, use its transactional ids, and, for fleet-wide lag monitoring
 * (describesAllGroups), describe every group and topic.
 *
 * In a namespace every name is the namespace's (`N.research-tasks`), still literal, so a
 * namespace's agent gets exactly the live agent's rights on the namespace's names; the
 * fleet-wide wildcards become the prefix `N.` (a namespace holds no dot, so the prefix is the
 * whole of it and nothing else). Throws EventsError CATALOG_INVALID for an agent without a
 * consumer group.
 */
export function agentAcls(agent: AgentSpec, options: { namespace?: string } = {}): Acl[] {
  if (!agent.group)
    throw new EventsError('CATALOG_INVALID', `agent ${agent.name} has no consumer group`);
  const name = (id: string) => namespaced(options.namespace, id);
  const everything = (type: 'topic' | 'group'): AclResource =>
    options.namespace === undefined
      ? { type, name: '*', patternType: 'literal' }
      : { type, name: name(''), patternType: 'prefix' };
  const operations = new Map<string, Set<AclOperation>>();
  const allow = (topics: readonly string[], ops: readonly AclOperation[]) => {
    for (const topic of topics) {
      const set = operations.get(topic) ?? new Set<AclOperation>();
      for (const op of ops) set.add(op);
      operations.set(topic, set);
    }
  };
  allow(agent.consumes, ['Read', 'Describe']);
  allow(agent.reads, ['Read', 'Describe']);
  allow(agent.produces, ['Write', 'Describe']);
  const acls = [...operations.keys()]
    .sort()
    .map((topic) =>
      acl(
        { type: 'topic', name: name(topic), patternType: 'literal' },
        [...(operations.get(topic) ?? [])].sort(),
      ),
    );
  acls.push(acl({ type: 'group', name: name(agent.group), patternType: 'literal' }, ['Read']));
  // Exactly-once producers use transactional ids <group>-<instance> (and -<lane>).
  acls.push(
    acl({ type: 'transactionalId', name: name(`${agent.group}-`), patternType: 'prefix' }, [
      'Describe',
      'Write',
    ]),
  );
  // Its readers outside any group (claims, budget window, log head, dashboard) and its lag
  // monitor name a group they never join, whose coordinator librdkafka still looks up:
  // Describe only, so no agent can join or commit to one. The prefix is the fleet's, not
  // the agent's: such a group holds nothing to see.
  acls.push(
    acl({ type: 'group', name: name(UNJOINED_GROUP_PREFIX), patternType: 'prefix' }, ['Describe']),
  );
  acls.push(acl({ type: 'cluster' }, ['IdempotentWrite']));
  if (agent.describesAllGroups) {
    acls.push(acl(everything('group'), ['Describe']));
    acls.push(acl(everything('topic'), ['Describe']));
  }
  return acls;
}
