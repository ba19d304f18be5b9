// The agents' own Kafka users on the suite's broker (scripts/with-kafka.sh makes one SCRAM
// user per agent of the catalog when it formats the broker, on a listener that enforces
// ACLs) and the ACLs the catalog gives them, created as the run's admin.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { agentAcls, agentUser } from '@paxfleet/events/agent-acls';
import { eventRegistry } from '@paxfleet/events';
import { kafkaConnectionFromEnv, type KafkaConnection } from '@paxfleet/kafka';
import { AclAdmin } from '@paxfleet/kafka/acl-admin';

/** user → password, from PAXFLEET_TEST_AGENT_USERS ("paxfleet-research=secret ..."). */
export function agentPasswords(env = process.env): Map<string, string> {
  const passwords = new Map<string, string>();
  for (const entry of (env.PAXFLEET_TEST_AGENT_USERS ?? '').split(/\s+/).filter(Boolean)) {
    const at = entry.indexOf('=');
    passwords.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return passwords;
}

/** The KAFKA_* variables that connect as `user` to the ACL-enforcing SCRAM listener. */
export function scramEnv(user: string, password: string): Record<string, string> {
  return {
    KAFKA_BROKERS: process.env.PAXFLEET_TEST_SCRAM_BROKERS as string,
    KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SSL_CA_LOCATION: process.env.PAXFLEET_TEST_SCRAM_CA as string,
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: password,
  };
}

/** Each agent's environment that connects it as its own user. */
export function agentScramEnvs(agents: readonly string[]): Record<string, Record<string, string>> {
  const passwords = agentPasswords();
  return Object.fromEntries(
    agents.map((name) => {
      const user = agentUser({ name });
      return [name, scramEnv(user, passwords.get(user) as string)];
    }),
  );
}

/** Why a suite needing the agents' users is skipped, or false on the broker that has them. */
export const skipWithoutAgentUsers =
  process.env.PAXFLEET_TEST_AGENT_USERS &&
  process.env.PAXFLEET_THROWAWAY_BROKER === process.env.KAFKA_BROKERS
    ? false
    : "PAXFLEET_TEST_AGENT_USERS is not set: scripts/with-kafka.sh makes the agents' users on a broker that enforces ACLs";

/** The run's admin (a super user on that listener): it creates topics and ACLs. */
export function adminEnv(): Record<string, string> {
  return scramEnv(
    process.env.PAXFLEET_TEST_SCRAM_USERNAME as string,
    process.env.PAXFLEET_TEST_SCRAM_PASSWORD as string,
  );
}

export function agentConnection(agent: string, clientId: string): KafkaConnection {
  const user = agentUser({ name: agent });
  const password = agentPasswords().get(user);
  assert.ok(password !== undefined, `no password for ${user} in PAXFLEET_TEST_AGENT_USERS`);
  return kafkaConnectionFromEnv(scramEnv(user, password), clientId);
}

/** Gives every agent of the catalog its generated ACLs on the namespace's names. */
export async function grantAgentAcls(namespace: string): Promise<void> {
  const admin = new AclAdmin(kafkaConnectionFromEnv(adminEnv(), 'acl-test-admin'));
  try {
    for (const agent of eventRegistry().catalog.agents)
      await admin.allow(`User:${agentUser(agent)}`, agentAcls(agent, { namespace }));
  } finally {
    await admin.close();
  }
}

const denial =
  /Principal = (\S+) is Denied operation = (\S+) from host = \S+ on resource = (\S+) for request = (\S+)/;

/**
 * What the broker's authorizer refused (PAXFLEET_TEST_AUTHORIZER_LOG) on the namespace's
 * resources since `since` (ms): one line per principal, operation, resource and request, a
 * reader's random group id shown as `<uuid>`.
 */
export function denials(namespace: string, since: number): string[] {
  const file = process.env.PAXFLEET_TEST_AUTHORIZER_LOG;
  assert.ok(file, 'PAXFLEET_TEST_AUTHORIZER_LOG is not set (scripts/with-kafka.sh sets it)');
  if (!existsSync(file)) return [];
  const found = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\]/.exec(line);
    const refused = denial.exec(line);
    if (!at || !refused) continue;
    if (Date.parse(`${at[1]}T${at[2]}.${at[3]}Z`) < since) continue;
    const [, principal, operation, resource, request] = refused as unknown as string[];
    if (!resource?.includes(`:${namespace}.`)) continue;
    found.add(
      `${principal} ${operation} ${resource.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '<uuid>')} (${request})`,
    );
  }
  return [...found].sort();
}
