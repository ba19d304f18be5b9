/**
 * A Kafka ACL as Strimzi's KafkaUser writes one (`spec.authorization.acls`): the resource
 * (by literal name or name prefix), the operations allowed on it, from any host. The same
 * value is the generated manifests' and, through AclAdmin, a local broker's.
 */
export type AclResource =
  | { readonly type: 'cluster' }
  | {
      readonly type: 'topic' | 'group' | 'transactionalId';
      readonly name: string;
      readonly patternType: 'literal' | 'prefix';
    };

/** Kafka's operation names, as Strimzi and kafka-acls spell them. */
export type AclOperation = 'Read' | 'Write' | 'Describe' | 'DescribeConfigs' | 'IdempotentWrite';

export interface Acl {
  readonly resource: AclResource;
  readonly operations: readonly AclOperation[];
  readonly host: '*';
}
