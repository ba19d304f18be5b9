export { EventsError, type EventsErrorCode } from './errors.ts';
export { crc64Avro } from './avro/crc64.ts';
export {
  frame,
  unframe,
  fingerprintHex,
  SINGLE_OBJECT_HEADER_BYTES,
} from './avro/single-object.ts';
export {
  SchemaSet,
  parsingCanonicalForm,
  type AvroSchema,
  type SchemaVersion,
} from './avro/schema-set.ts';
export { EventCodec, type Decoded } from './codec.ts';
export { checkCompatibility, type CompatibilityProblem } from './compatibility.ts';
export {
  parseCatalog,
  parseDuration,
  type AgentSpec,
  type ContentFormat,
  type TopicCatalog,
  type TopicSpec,
} from './catalog.ts';
export { EventRegistry, eventRegistry, type EventRegistryOptions } from './registry.ts';
export { readSchemaSources, type SchemaSources } from './codegen.ts';
export {
  HEADER,
  contextFromHeaders,
  eventHeaders,
  headerText,
  isTraceparent,
  newTraceparent,
  newWorkflowId,
  type EventContext,
} from './headers.ts';
export {
  DEFAULT_MAX_RECORD_BYTES,
  encodeRecord,
  type OutgoingRecord,
  type SendOptions,
} from './records.ts';
export { checkBlobKey, type BlobStore, type StoredBlob } from './blobs/blob-store.ts';
export { FileBlobStore } from './blobs/file-blob-store.ts';
export { namespacedBlobStore, namespacePrefix } from './blobs/namespaced-store.ts';
export {
  Bodies,
  DEFAULT_INLINE_MAX_BYTES,
  type BodiesOptions,
  type StoredBody,
} from './blobs/bodies.ts';
export {
  ARCHIVE_PREFIX,
  blobRetentions,
  sweepBlobs,
  type BlobRetention,
  type SweepReport,
} from './blobs/blob-sweep.ts';
export { DEAD_LETTER_TOPIC, deadLetterFor } from './dead-letters.ts';
export { EventProducer, type EventProducerOptions } from './event-producer.ts';
export {
  ExactlyOnceProcessor,
  type CommitSummary,
  type ExactlyOnceOptions,
  type InputRecord,
  type Outbox,
  type TopicPartition,
  type Transform,
} from './exactly-once.ts';
export {
  ConcurrentProcessor,
  type ConcurrentCommit,
  type ConcurrentProcessorOptions,
} from './concurrent/concurrent-processor.ts';
export { Refusal } from './refusals.ts';
export { producerTraceparent, traceContextOf, withConsumerSpan } from './tracing.ts';
export { TopicReader, type TopicReaderOptions, type TopicRecord } from './topic-reader.ts';
export {
  connectTransactionalProducer,
  recoverProducer,
  type TransactionalProducerOptions,
} from './transactional-producer.ts';
export {
  applyCatalog,
  deleteNamespace,
  topicConfigs,
  type ApplyOptions,
  type ApplyReport,
  type NamespaceDeletion,
} from './topic-admin.ts';
export type * from './generated/events.ts';
