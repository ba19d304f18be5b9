import { randomBytes } from 'node:crypto';
import { createKafka, type Admin, type Kafka, type Producer } from './client.ts';
import { kafkaConnectionFromEnv, type KafkaConnection } from './connection.ts';

/** Helpers for integration tests against the broker named by KAFKA_BROKERS. */
export function testKafka(clientId = 'paxfleet-test'): Kafka {
  return createKafka(kafkaConnectionFromEnv(process.env, clientId));
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** An idempotent producer with a transactional id of its own (not yet connected). */
export function transactionalProducer(kafka: Kafka, prefix: string): Producer {
  return kafka.producer({
    'transactional.id': uniqueName(prefix),
    'enable.idempotence': true,
  });
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTestTopic(kafka: Kafka, topic: string, partitions = 1): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      // A broker busy with other tests' fleets may take longer than the default 5 s.
      timeout: 30_000,
    });
    await waitForLeaders(admin, [topic]);
  });
}

/**
 * Waits until every partition of the topics has a leader: the topics a test just created
 * are then readable at once (a busy broker takes a moment to elect them).
 */
export async function waitForLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => []);
    const led = topics.every((name) => {
      const partitions = metadata.find((topic) => topic.name === name)?.partitions ?? [];
      return partitions.length > 0 && partitions.every((partition) => partition.leader >= 0);
    });
    if (led) return;
    if (Date.now() > deadline)
      throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until the condition holds or the deadline passes; returns the last value seen. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Every transactional id the brokers of a plaintext cluster know, whatever its state
 * (ListTransactions, KIP-664, asked of each broker: librdkafka's admin has no such call),
 * for tests that check which ids a run created. Ids live until the broker expires them
 * (transactional.id.expiration.ms); no request deletes one.
 */
export async function transactionalIds(connection: KafkaConnection): Promise<string[]> {
  // The pure-protocol client is loaded only by the tests that ask.
  const { Admin, Connection, listTransactionsV1 } = await import('@platformatic/kafka');
  const clientId = `${connection.clientId}-transactions`;
  const admin = new Admin({ clientId, bootstrapBrokers: [...connection.brokers] });
  const ids = new Set<string>();
  try {
    const { brokers } = await admin.metadata({ topics: [] });
    for (const broker of brokers.values()) {
      const socket = new Connection(clientId);
      await socket.connect(broker.host, broker.port);
      try {
        const listed = await listTransactionsV1.api.async(socket, [], [], -1n, null);
        for (const { transactionalId } of listed.transactionStates) ids.add(transactionalId);
      } finally {
        await socket.close();
      }
    }
  } finally {
    await admin.close();
  }
  return [...ids].sort();
}
