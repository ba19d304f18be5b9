// A subpath of its own (@paxfleet/kafka/acl-admin), like topic-configs: only test setup and
// tools create ACLs, and the pure-protocol client weighs about 25 MB per process.
import {
  AclOperations,
  AclPermissionTypes,
  type Admin,
  ResourcePatternTypes,
  ResourceTypes,
} from '@platformatic/kafka';
import type { Acl, AclOperation, AclResource } from './acl.ts';
import type { KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';
import { createProtocolAdmin } from './protocol-admin.ts';

const operationCodes: Record<AclOperation, number> = {
  Read: AclOperations.READ,
  Write: AclOperations.WRITE,
  Describe: AclOperations.DESCRIBE,
  DescribeConfigs: AclOperations.DESCRIBE_CONFIGS,
  IdempotentWrite: AclOperations.IDEMPOTENT_WRITE,
};

const resourceTypes = {
  cluster: ResourceTypes.CLUSTER,
  topic: ResourceTypes.TOPIC,
  group: ResourceTypes.GROUP,
  transactionalId: ResourceTypes.TRANSACTIONAL_ID,
} as const;

function pattern(resource: AclResource) {
  if (resource.type === 'cluster')
    return {
      resourceType: resourceTypes.cluster,
      resourceName: 'kafka-cluster',
      resourcePatternType: ResourcePatternTypes.LITERAL,
    };
  return {
    resourceType: resourceTypes[resource.type],
    resourceName: resource.name,
    resourcePatternType:
      resource.patternType === 'prefix'
        ? ResourcePatternTypes.PREFIXED
        : ResourcePatternTypes.LITERAL,
  };
}

/**
 * Creates ACLs on a cluster whose authorizer is on (CreateAcls: librdkafka's admin has no
 * ACL requests), as a user allowed to (a super user, or Alter on the cluster).
 */
export class AclAdmin {
  readonly #admin: Admin;

  constructor(connection: KafkaConnection) {
    this.#admin = createProtocolAdmin(connection, 'acls');
  }

  /** Allows the principal (`User:<name>`) every operation of every ACL. */
  async allow(principal: string, acls: readonly Acl[]): Promise<void> {
    const creations = acls.flatMap((acl) =>
      acl.operations.map((operation) => ({
        ...pattern(acl.resource),
        principal,
        host: acl.host,
        operation: operationCodes[operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    );
    if (creations.length === 0) return;
    try {
      await this.#admin.createAcls({ creations } as Parameters<Admin['createAcls']>[0]);
    } catch (cause) {
      throw new KafkaError(
        'KAFKA_ACL_SETUP_FAILED',
        `could not create ${creations.length} ACLs for ${principal}: ${(cause as Error).message}`,
        { cause, details: { principal } },
      );
    }
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}
