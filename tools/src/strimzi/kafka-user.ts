import type { AgentSpec } from '@paxfleet/events';
import { agentAcls, agentUser } from '@paxfleet/events/agent-acls';
import { CLUSTER } from './resource.ts';

/** The KafkaUser of one agent: SCRAM-SHA-512 and its ACLs. */
export function kafkaUser(agent: AgentSpec) {
  const user = agentUser(agent);
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
