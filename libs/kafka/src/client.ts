import kafkaJavascript from '@confluentinc/kafka-javascript';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { librdkafkaProperties, type KafkaConnection } from './connection.ts';

const { KafkaJS: client } = kafkaJavascript;

export type Kafka = KafkaJS.Kafka;
export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type EachBatchPayload = KafkaJS.EachBatchPayload;
export type IHeaders = KafkaJS.IHeaders;

/** The client's own log lines are dropped unless they are errors; ours carry the context. */
const quietLogs = { logLevel: client.logLevel.ERROR };

export function createKafka(connection: KafkaConnection): Kafka {
  return new client.Kafka({
    ...librdkafkaProperties(connection),
    kafkaJS: { ...quietLogs },
  } as KafkaJS.CommonConstructorConfig);
}

/** Version of the librdkafka the native addon was built with. */
export function librdkafkaVersion(): string {
  return kafkaJavascript.librdkafkaVersion;
}

export const KafkaErrors = {
  isKafkaJSError: client.isKafkaJSError,
  KafkaJSError: client.KafkaJSError,
} as const;

/** Offsets as a read_committed consumer sees them: the end is the last stable offset. */
export const IsolationLevel = kafkaJavascript.IsolationLevel;
