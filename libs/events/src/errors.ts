import { CodedError } from '@paxfleet/core';

export type EventsErrorCode =
  | 'SCHEMA_INVALID'
  | 'SCHEMA_NOT_FOUND'
  | 'SCHEMA_INCOMPATIBLE'
  | 'DECODE_NOT_SINGLE_OBJECT'
  | 'DECODE_UNKNOWN_FINGERPRINT'
  | 'DECODE_WRONG_EVENT'
  | 'DECODE_BAD_BODY'
  | 'ENCODE_INVALID_VALUE'
  | 'RECORD_TOO_LARGE'
  | 'CATALOG_INVALID'
  | 'TOPIC_UNKNOWN'
  | 'TOPIC_NOT_IN_NAMESPACE'
  | 'BLOB_NOT_FOUND'
  | 'BLOB_REF_INVALID'
  | 'BLOB_STORE_REQUIRED'
  | 'BLOB_STORE_FAILED'
  | 'PROCESSOR_CONFIG_INVALID'
  | 'PROCESSOR_FAILED';

/** The one error type of @paxfleet/events: a closed set of codes, the cause kept. */
export class EventsError extends CodedError<EventsErrorCode> {
  override readonly name = 'EventsError';
}
