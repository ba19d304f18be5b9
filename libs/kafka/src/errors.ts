import { CodedError } from '@paxfleet/core';

export type KafkaErrorCode =
  | 'KAFKA_ACL_SETUP_FAILED'
  | 'KAFKA_AUTH_FAILED'
  | 'KAFKA_NOT_AUTHORIZED'
  | 'KAFKA_CONNECT_FAILED'
  | 'KAFKA_NAMESPACE_INVALID'
  | 'KAFKA_TOPIC_SETUP_FAILED'
  | 'KAFKA_TOPIC_UNKNOWN'
  | 'KAFKA_READ_FAILED'
  | 'KAFKA_READER_BUSY'
  | 'KAFKA_READER_NOT_CONNECTED';

/** The one error type of @paxfleet/kafka: a closed set of codes, the cause kept. */
export class KafkaError extends CodedError<KafkaErrorCode> {
  override readonly name = 'KafkaError';
}
