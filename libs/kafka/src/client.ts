import type { Logger } from '@paxfleet/core';
import kafkaJavascript from '@confluentinc/kafka-javascript';
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { rememberUser } from './authorization.ts';
import { librdkafkaProperties, type KafkaConnection } from './connection.ts';

const { KafkaJS: client } = kafkaJavascript;

export type Kafka = KafkaJS.Kafka;
export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type EachBatchPayload = KafkaJS.EachBatchPayload;
export type IHeaders = KafkaJS.IHeaders;

/** The client's lines as the service's: errors only (ours carry the context), fields named. */
function clientLogger(logger: Pick<Logger, 'error'>): KafkaJS.Logger {
  const adapted: KafkaJS.Logger = {
    info: () => {},
    debug: () => {},
    warn: () => {},
    error: (message, extra) => {
      const { name, fac } = (extra ?? {}) as { name?: string; fac?: string };
      logger.error(`kafka client: ${message}`, { client: name, facility: fac });
    },
    setLogLevel: () => {},
    namespace: () => adapted,
  };
  return adapted;
}

/**
 * The client for the connection. Its error lines (a broker gone, an
 * authentication failure) go to the given logger; without one they go to the
 * console, as the client prints them.
 */
export function createKafka(connection: KafkaConnection, logger?: Pick<Logger, 'error'>): Kafka {
  const kafka = new client.Kafka({
    ...librdkafkaProperties(connection),
    kafkaJS: {
      logLevel: client.logLevel.ERROR,
      ...(logger && { logger: clientLogger(logger) }),
    },
  } as KafkaJS.CommonConstructorConfig);
  rememberUser(kafka, connection);
  return kafka;
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

/** rebalance_cb event codes (librdkafka's ERR__ASSIGN_PARTITIONS, ERR__REVOKE_PARTITIONS). */
export const ASSIGN_PARTITIONS = -175;
export const REVOKE_PARTITIONS = -174;
