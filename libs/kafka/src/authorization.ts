import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Logger } from '@paxfleet/core';
import { certificatePrincipal } from './client-tls.ts';
import type { KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';

/** What the broker's authorizer refused, by Kafka's error code. */
export type RefusedResource = 'topic' | 'group' | 'cluster' | 'transactionalId';

/** Kafka's authorization error codes (TOPIC_, GROUP_, CLUSTER_, TRANSACTIONAL_ID_AUTHORIZATION_FAILED). */
const REFUSALS: Readonly<Record<number, { resource: RefusedResource; name: string }>> = {
  29: { resource: 'topic', name: 'TOPIC_AUTHORIZATION_FAILED' },
  30: { resource: 'group', name: 'GROUP_AUTHORIZATION_FAILED' },
  31: { resource: 'cluster', name: 'CLUSTER_AUTHORIZATION_FAILED' },
  53: { resource: 'transactionalId', name: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' },
};

/** librdkafka's words for them, for errors that reach us only as text (the client's log lines). */
const REFUSAL_TEXT: readonly [RegExp, number][] = [
  [/topic authorization failed/i, 29],
  [/group authorization failed/i, 30],
  [/cluster authorization failed/i, 31],
  [/transactional id authorization failed/i, 53],
];

const users = new WeakMap<object, string>();

/**
 * The user a connection authenticates as, as ACLs name it: the SASL user, else the client
 * certificate's subject (a certificate unreadable here is named by its file), else anonymous.
 */
export function connectionUser(connection: KafkaConnection): string {
  if (connection.sasl) return `User:${connection.sasl.username}`;
  const certificate = connection.clientCertificate;
  if (certificate) {
    const principal = certificatePrincipal(certificate.certLocation);
    return principal ? `User:${principal}` : `the user of ${certificate.certLocation}`;
  }
  return 'User:ANONYMOUS';
}

/** Remembers whose client this is, so a refusal can name the user (createKafka calls it). */
export function rememberUser(kafka: object, connection: KafkaConnection): void {
  users.set(kafka, connectionUser(connection));
}

/** The user of a client made by createKafka. */
export function kafkaUser(kafka: object): string {
  return users.get(kafka) ?? 'User:ANONYMOUS';
}

/** The refusal an error is, if it is one: by its Kafka code, or by librdkafka's text. */
export function refusalOf(
  cause: unknown,
): { resource: RefusedResource; kafkaCode: string } | undefined {
  const code = (cause as { code?: unknown } | null)?.code;
  let found = typeof code === 'number' ? REFUSALS[code] : undefined;
  if (!found) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const match = REFUSAL_TEXT.find(([pattern]) => pattern.test(text));
    found = match ? REFUSALS[match[1]] : undefined;
  }
  return found && { resource: found.resource, kafkaCode: found.name };
}

/**
 * KafkaError KAFKA_NOT_AUTHORIZED for a refusal: what was refused (`action`, e.g. "join
 * consumer group N.paxfleet-seo"), to whom, Kafka's code, and where the ACLs come from.
 * Undefined when the cause is no refusal. Retrying cannot help: ACLs change only by an
 * operator's hand, so callers stop.
 */
export function notAuthorized(
  cause: unknown,
  user: string,
  action: string,
): KafkaError | undefined {
  const refusal = refusalOf(cause);
  if (!refusal) return undefined;
  return new KafkaError(
    'KAFKA_NOT_AUTHORIZED',
    `${user} may not ${action}: the broker's ACLs refuse it (${refusal.kafkaCode})`,
    {
      cause,
      details: {
        user,
        action,
        resource: refusal.resource,
        kafka_code: refusal.kafkaCode,
        fix: "give the user the ACL (an agent's come from schemas/topics.json: k8s/users/<agent>.yaml), or run the service as the user it is meant to be",
      },
    },
  );
}

/**
 * A logger for one consumer that passes every line on and turns the client's refusals into
 * one KafkaError for `onRefused`: the KafkaJS consumer reports a refused group join or fetch
 * only as a log line ("Retrying") and retries forever.
 */
export function refusalLogger(
  logger: Pick<Logger, 'error'>,
  user: string,
  action: string,
  onRefused: (error: KafkaError) => void,
): KafkaJS.Logger {
  let refused = false;
  const adapted: KafkaJS.Logger = {
    info: () => {},
    debug: () => {},
    warn: () => {},
    error: (message, extra) => {
      const error = notAuthorized(new Error(message), user, action);
      if (!error) {
        const { name, fac } = (extra ?? {}) as { name?: string; fac?: string };
        logger.error(`kafka client: ${message}`, { client: name, facility: fac });
        return;
      }
      if (refused) return;
      refused = true;
      onRefused(error);
    },
    setLogLevel: () => {},
    namespace: () => adapted,
  };
  return adapted;
}
