export { KafkaError, type KafkaErrorCode } from './errors.ts';
export type { Acl, AclOperation, AclResource } from './acl.ts';
export {
  connectionUser,
  kafkaUser,
  notAuthorized,
  refusalLogger,
  refusalOf,
  type RefusedResource,
} from './authorization.ts';
export {
  kafkaConfig,
  kafkaConnectionFromConfig,
  kafkaConnectionFromEnv,
  librdkafkaProperties,
  type KafkaConfig,
  type KafkaConnection,
  type SaslMechanism,
  type SecurityProtocol,
} from './connection.ts';
export {
  ASSIGN_PARTITIONS,
  REVOKE_PARTITIONS,
  createKafka,
  IsolationLevel,
  librdkafkaVersion,
  KafkaErrors,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from './client.ts';
export { checkNamespace, namespaced, NAMESPACE_PATTERN, withoutNamespace } from './namespace.ts';
export {
  isUnknownTopic,
  PartitionReader,
  type PartitionReaderOptions,
  type PartitionRecord,
  type PartitionStart,
  type StartPosition,
} from './partition-reader.ts';
export { UNJOINED_GROUP_PREFIX, unjoinedGroup } from './unjoined-group.ts';
export { sendOffsetsWithMetadata, type OffsetWithMetadata } from './transactions.ts';
export { waitForBroker, type WaitForBrokerOptions } from './broker-wait.ts';
