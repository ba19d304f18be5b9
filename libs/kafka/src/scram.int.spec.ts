import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitForBroker } from './broker-wait.ts';
import { createKafka } from './client.ts';
import { kafkaConnectionFromEnv, type KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';
import { PartitionReader, type PartitionRecord } from './partition-reader.ts';
import { createTestTopic, transactionalProducer, uniqueName } from './testing.ts';

// The suite's broker (scripts/with-kafka.sh) has a second listener, TLS with a
// certificate from a CA made for the run, that takes SCRAM-SHA-512 for a user
// made for the run: the settings production clusters use (sasl_ssl; Strimzi
// KafkaUsers are SCRAM users), through every client we build.
const brokers = process.env.PAXFLEET_TEST_SCRAM_BROKERS;
const skip = brokers
  ? false
  : 'PAXFLEET_TEST_SCRAM_BROKERS is not set (scripts/with-kafka.sh sets it for the broker it starts)';

function scram(password: string | undefined): KafkaConnection {
  return kafkaConnectionFromEnv(
    {
      KAFKA_BROKERS: brokers,
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SSL_CA_LOCATION: process.env.PAXFLEET_TEST_SCRAM_CA,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: process.env.PAXFLEET_TEST_SCRAM_USERNAME,
      KAFKA_SASL_PASSWORD: password,
    },
    'scram-test',
  );
}

describe('SASL_SSL with SCRAM-SHA-512 on the real broker', { skip, timeout: 60_000 }, () => {
  it('every client authenticates: the broker probe, the admin, a transactional producer, a group consumer and the reader', async () => {
    const connection = scram(process.env.PAXFLEET_TEST_SCRAM_PASSWORD);
    await waitForBroker(connection);
    const kafka = createKafka(connection);
    const topic = uniqueName('scram');
    await createTestTopic(kafka, topic);
    const producer = transactionalProducer(kafka, 'scram-tx');
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ key: 'k', value: 'over SCRAM' }] });
      await transaction.commit();
    } finally {
      await producer.disconnect();
    }
    const consumer = kafka.consumer({
      'group.id': uniqueName('scram-group'),
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic] });
      const first = Promise.withResolvers<string | undefined>();
      await consumer.run({
        eachMessage: ({ message }) => {
          first.resolve(message.value?.toString());
          return Promise.resolve();
        },
      });
      assert.equal(await first.promise, 'over SCRAM', 'a consumer group member reads it');
    } finally {
      await consumer.disconnect();
    }
    const reader = new PartitionReader(connection);
    await reader.connect();
    try {
      const records: PartitionRecord[] = [];
      await reader.readToEnd([{ topic, partition: 0 }], (record) => records.push(record));
      assert.deepEqual(
        records.map((record) => record.value?.toString()),
        ['over SCRAM'],
      );
    } finally {
      await reader.close();
    }
  });

  it('a wrong password stops the wait with KAFKA_AUTH_FAILED naming the variables', async () => {
    const warnings: string[] = [];
    await assert.rejects(
      waitForBroker(scram('not-the-password'), {
        logger: { info: () => {}, warn: (message) => warnings.push(message) },
      }),
      (error: unknown) => {
        assert.ok(error instanceof KafkaError, String(error));
        assert.equal(error.code, 'KAFKA_AUTH_FAILED');
        assert.match(error.message, /KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD/);
        assert.ok(error.message.includes(`"${process.env.PAXFLEET_TEST_SCRAM_USERNAME}"`));
        assert.ok(
          !error.message.includes('not-the-password'),
          'the password stays out of the message',
        );
        return true;
      },
    );
    assert.deepEqual(warnings, [], 'no retrying: refused credentials do not get better by waiting');
  });
});
