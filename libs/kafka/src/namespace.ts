import { KafkaError } from './errors.ts';

/**
 * A Kafka namespace gives a whole fleet topics, consumer groups and transactional ids of
 * its own on a shared cluster, so it can run in the shadow of the live one: in namespace
 * `N`, the name `name` (a catalog topic, a group, a transactional id) is `N.name` on the
 * cluster. Letters, digits, `_` and `-` (Kafka's topic characters but the dot, which
 * separates), starting with a letter or a digit, at most 64: namespaces never nest, so
 * the prefix `N.` names the whole of one namespace and nothing of the live fleet, whose
 * topics and groups hold no dot.
 */
export const NAMESPACE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

const namespacePattern = new RegExp(NAMESPACE_PATTERN);

/** The namespace, if it is one; throws KafkaError KAFKA_NAMESPACE_INVALID if not. */
export function checkNamespace(namespace: string): string {
  if (!namespacePattern.test(namespace)) {
    throw new KafkaError(
      'KAFKA_NAMESPACE_INVALID',
      `"${namespace}" is not a Kafka namespace: letters, digits, "_" or "-", starting with a letter or digit, at most 64`,
      { details: { namespace } },
    );
  }
  return namespace;
}

/** The name on the cluster: `<namespace>.<name>`, or the name itself without a namespace. */
export function namespaced(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}.${name}`;
}

/**
 * The name a name on the cluster has inside the namespace (the name itself without a
 * namespace); undefined when it is not in the namespace.
 */
export function withoutNamespace(
  namespace: string | undefined,
  physical: string,
): string | undefined {
  if (namespace === undefined) return physical;
  const prefix = `${namespace}.`;
  return physical.startsWith(prefix) && physical.length > prefix.length
    ? physical.slice(prefix.length)
    : undefined;
}
