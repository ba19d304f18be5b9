import type { AgentSpec } from '@paxfleet/events';
import { agentAcls, agentUser } from '@paxfleet/events/agent-acls';
import { CLUSTER } from './resource.ts';

function userResource<A>(agent: AgentSpec, authentication: A) {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: {
      name: agentUser(agent),
      labels: {
        'strimzi.io/cluster': CLUSTER,
        'app.kubernetes.io/part-of': 'paxfleet',
        'app.kubernetes.io/component': agent.name,
      },
    },
    spec: { authentication, authorization: { type: 'simple', acls: agentAcls(agent) } },
  };
}

/** The KafkaUser of one agent: SCRAM-SHA-512 and its ACLs. */
export function kafkaUser(agent: AgentSpec) {
  return userResource(agent, {
    type: 'scram-sha-512',
    // The password comes from the same existing Secret the Helm chart hands to the agent
    // (keys username=<this user's name>, password), so no credential is generated twice.
    password: {
      valueFrom: { secretKeyRef: { name: `${agentUser(agent)}-kafka`, key: 'password' } },
    },
  });
}

/**
 * The same user authenticated by a client certificate instead (Strimzi's `tls`): the User
 * Operator issues it into a Secret named after the user (user.crt, user.key, ca.crt), which
 * the chart mounts with kafka.clientCertificate. Its principal is `User:CN=<user>`, to which
 * the operator gives the same ACLs.
 */
export function kafkaTlsUser(agent: AgentSpec) {
  return userResource(agent, { type: 'tls' });
}
