import type { AgentSpec } from '@paxfleet/events';
import { ToolError } from '../tool-error.ts';
import { CLUSTER } from './resource.ts';

type Resource =
  | { readonly type: 'cluster' }
  | {
      readonly type: 'topic' | 'group' | 'transactionalId';
      readonly name: string;
      readonly patternType: 'literal' | 'prefix';
    };

export interface Acl {
  readonly resource: Resource;
  readonly operations: readonly string[];
  readonly host: '*';
}

const acl = (resource: Resource, operations: readonly string[]): Acl => ({
  resource,
  operations,
  host: '*',
});

/**
 * What the agent may do: read and describe what it consumes or reads, write and describe what it
 * produces, read its group, use its transactional ids, and, for fleet-wide lag
 * monitoring (describesAllGroups), describe every group and topic.
 */
export function agentAcls(agent: AgentSpec): Acl[] {
  if (!agent.group)
    throw new ToolError('CATALOG_INVALID', `agent ${agent.name} has no consumer group`);
  const operations = new Map<string, Set<string>>();
  const allow = (topics: readonly string[], ops: readonly string[]) => {
    for (const topic of topics) {
      const set = operations.get(topic) ?? new Set<string>();
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
        { type: 'topic', name: topic, patternType: 'literal' },
        [...(operations.get(topic) ?? [])].sort(),
      ),
    );
  acls.push(acl({ type: 'group', name: agent.group, patternType: 'literal' }, ['Read']));
  // Exactly-once producers use transactional ids paxfleet-<agent>-<instance/partition>.
  acls.push(
    acl({ type: 'transactionalId', name: `paxfleet-${agent.name}-`, patternType: 'prefix' }, [
      'Describe',
      'Write',
    ]),
  );
  acls.push(acl({ type: 'cluster' }, ['IdempotentWrite']));
  if (agent.describesAllGroups) {
    acls.push(acl({ type: 'group', name: '*', patternType: 'literal' }, ['Describe']));
    acls.push(acl({ type: 'topic', name: '*', patternType: 'literal' }, ['Describe']));
  }
  return acls;
}

/** The KafkaUser of one agent: SCRAM-SHA-512 and its ACLs. */
export function kafkaUser(agent: AgentSpec) {
  const user = `paxfleet-${agent.name}`;
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: {
      name: user,
      labels: {
        'strimzi.io/cluster': CLUSTER,
        'app.kubernetes.io/part-of': 'paxfleet',
        'app.kubernetes.io/component': agent.name,
      },
    },
    spec: {
      authentication: {
        type: 'scram-sha-512',
        // The password comes from the same existing Secret the Helm chart hands to the agent
        // (keys username=<this user's name>, password), so no credential is generated twice.
        password: { valueFrom: { secretKeyRef: { name: `${user}-kafka`, key: 'password' } } },
      },
      authorization: { type: 'simple', acls: agentAcls(agent) },
    },
  };
}
