import { KafkaErrors, kafkaUser, notAuthorized, type Kafka, type Producer } from '@paxfleet/kafka';
import { groupByTopic, type OutgoingRecord } from './records.ts';
import type { ProducerLogging } from './refusals.ts';

export interface TransactionalProducerOptions {
  readonly kafka: Kafka;
  /** Stable per instance, so a restarted instance fences its previous self at once. */
  readonly transactionalId: string;
  /** Broker-side timeout of an abandoned transaction, in ms. */
  readonly transactionTimeoutMs: number;
  readonly maxRecordBytes: number;
  /** The producer's own logger block (a processor's refusal watch); the client's otherwise. */
  readonly logging?: ProducerLogging;
}

/**
 * A cluster just started, or whose transaction coordinator moved, answers the first
 * InitProducerId with NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS while its
 * __transaction_state partition loads: worth waiting for, not a reason to exit.
 */
const COORDINATOR_NOT_READY =
  /not coordinator|coordinator load in progress|coordinator not available/i;
const CONNECT_PATIENCE_MS = 30_000;

export async function connectTransactionalProducer(
  options: TransactionalProducerOptions,
): Promise<Producer> {
  const deadline = Date.now() + CONNECT_PATIENCE_MS;
  for (let attempt = 1; ; attempt += 1) {
    const producer = transactionalProducer(options);
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      const refused = notAuthorized(
        error,
        kafkaUser(options.kafka),
        `use transactional id ${options.transactionalId} (or write idempotently)`,
      );
      if (refused) throw refused;
      const message = error instanceof Error ? error.message : String(error);
      if (!COORDINATOR_NOT_READY.test(message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2000)));
    }
  }
}

function transactionalProducer(options: TransactionalProducerOptions): Producer {
  return options.kafka.producer({
    ...options.logging,
    'transactional.id': options.transactionalId,
    'enable.idempotence': true,
    'transaction.timeout.ms': options.transactionTimeoutMs,
    // librdkafka requires requests to time out before the transaction does.
    'socket.timeout.ms': options.transactionTimeoutMs,
    'message.max.bytes': options.maxRecordBytes + 1024,
    'linger.ms': 0,
    // Right after a commit the broker answers the next transaction's first request with
    // CONCURRENT_TRANSACTIONS while it writes the markers; librdkafka's default 100 ms
    // backoff turns each of those into a stall. It still backs off exponentially to 1 s.
    'retry.backoff.ms': 10,
  });
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

/**
 * One transaction: the outputs, their delivery, the consumer offsets, the commit. The
 * delivery reports are awaited before the commit: the commit flushes and waits for every
 * report to be served, and this client serves them on its own poll, so a commit issued
 * with reports outstanding measured 36 ms a transaction against 13 ms awaited.
 */
export async function commitTransaction(
  producer: Producer,
  outputs: readonly OutgoingRecord[],
  sendOffsets: () => Promise<void>,
): Promise<void> {
  await producer.transaction();
  if (outputs.length > 0) await producer.sendBatch({ topicMessages: groupByTopic([...outputs]) });
  await sendOffsets();
  await producer.commit();
}
