import { KafkaErrors, type Kafka, type Producer } from '@paxfleet/kafka';

export interface TransactionalProducerOptions {
  readonly kafka: Kafka;
  /** Stable per instance, so a restarted instance fences its previous self at once. */
  readonly transactionalId: string;
  /** Broker-side timeout of an abandoned transaction, in ms. */
  readonly transactionTimeoutMs: number;
  readonly maxRecordBytes: number;
}

export async function connectTransactionalProducer(
  options: TransactionalProducerOptions,
): Promise<Producer> {
  const producer = options.kafka.producer({
    'transactional.id': options.transactionalId,
    'enable.idempotence': true,
    'transaction.timeout.ms': options.transactionTimeoutMs,
    // librdkafka requires requests to time out before the transaction does.
    'socket.timeout.ms': options.transactionTimeoutMs,
    'message.max.bytes': options.maxRecordBytes + 1024,
    'linger.ms': 5,
  });
  await producer.connect();
  return producer;
}

/** Whether the client marks the error abortable (abort and try again) rather than fatal. */
export function isAbortable(error: unknown): boolean {
  const kafkaError = KafkaErrors.isKafkaJSError(error as Error)
    ? (error as { fatal?: boolean; abortable?: boolean })
    : {};
  return kafkaError.abortable === true && kafkaError.fatal !== true;
}

/**
 * After a failed transaction: an abortable one is aborted and the producer kept. A fenced
 * producer, a fatal error or an ambiguous commit gets a fresh producer with the same
 * transactional.id, which finishes or aborts whatever the old one left open; whether that
 * transaction committed is then only known from the committed offsets.
 */
export async function recoverProducer(
  producer: Producer,
  error: unknown,
  connect: () => Promise<Producer>,
): Promise<{ producer: Producer; recreated: boolean }> {
  if (isAbortable(error) && producer.isActive()) {
    try {
      await producer.abort();
      return { producer, recreated: false };
    } catch {
      // An abort that fails leaves the producer unusable: recreate it below.
    }
  } else if (isAbortable(error)) {
    return { producer, recreated: false };
  }
  await producer.disconnect().catch(() => undefined);
  return { producer: await connect(), recreated: true };
}
