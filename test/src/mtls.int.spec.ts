// Client certificates (mTLS, Strimzi's `tls` users) on the suite's broker: its third
// listener (scripts/with-kafka.sh) takes only TLS clients whose certificate the run's CA
// signed, and names each by its certificate's subject, User:CN=<user>, as Strimzi does. Every
// kind of Kafka client the code makes connects there and does its work; the catalog's ACLs
// apply to an agent's certificate as to its SCRAM user; a client without a certificate, or
// with one another CA signed, is refused with a coded error naming the listener.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { agentAcls, agentUser } from '@paxfleet/events/agent-acls';
import { connectTransactionalProducer, EventProducer, eventRegistry } from '@paxfleet/events';
import {
  connectionUser,
  createKafka,
  KafkaError,
  kafkaConnectionFromEnv,
  PartitionReader,
  waitForBroker,
  type KafkaConnection,
  type PartitionRecord,
} from '@paxfleet/kafka';
import { AclAdmin } from '@paxfleet/kafka/acl-admin';
import { createTestTopic, uniqueName, withAdmin } from '@paxfleet/kafka/testing';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import { KafkaLagSource } from '@paxfleet/lag';

const brokers = process.env.PAXFLEET_TEST_MTLS_BROKERS;
const certs = process.env.PAXFLEET_TEST_MTLS_CERTS ?? '';
const ca = process.env.PAXFLEET_TEST_SCRAM_CA ?? '';
const admin = process.env.PAXFLEET_TEST_SCRAM_USERNAME ?? '';
const skip = brokers
  ? false
  : 'PAXFLEET_TEST_MTLS_BROKERS is not set (scripts/with-kafka.sh sets it for the broker it starts)';

const namespace = uniqueName('mtls');
const registry = eventRegistry({ namespace });
const research = registry.catalog.agents.find((agent) => agent.name === 'research');

function mtlsEnv(cert: string | undefined, key: string | undefined): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers ?? '',
    KAFKA_SECURITY_PROTOCOL: 'ssl',
    KAFKA_SSL_CA_LOCATION: ca,
    ...(cert && key && { KAFKA_SSL_CERT_LOCATION: cert, KAFKA_SSL_KEY_LOCATION: key }),
  };
}

/** The connection of a user with a certificate of the run (PAXFLEET_TEST_MTLS_CERTS). */
function userConnection(user: string, clientId: string): KafkaConnection {
  return kafkaConnectionFromEnv(
    mtlsEnv(join(certs, `${user}.pem`), join(certs, `${user}.key`)),
    clientId,
  );
}

/** A CA of its own and a client certificate it signed, in dir: a stranger to the broker. */
function foreignCertificate(dir: string): { cert: string; key: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=another CA',
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
    '-subj',
    `/CN=${admin}`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-days',
    '1',
    '-out',
    'client.pem',
  );
  return { cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
}

function refusedAtListener(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof KafkaError, String(error));
    assert.equal(error.code, 'KAFKA_AUTH_FAILED', error.message);
    assert.ok(error.message.includes(`listener at ${brokers}`), error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('client certificates (mTLS) on the real broker', { skip, timeout: 120_000 }, () => {
  const topic = `${namespace}.mtls`;
  const group = `${namespace}.mtls-group`;
  let connection: KafkaConnection;

  before(async () => {
    connection = userConnection(admin, 'mtls-test');
    await waitForBroker(connection);
  });

  after(async () => {
    const plaintext = createKafka(kafkaConnectionFromEnv(process.env, 'mtls-test-cleanup'));
    await withAdmin(plaintext, async (cluster) => {
      const mine = (await cluster.listTopics()).filter((name) => name.startsWith(`${namespace}.`));
      if (mine.length > 0) await cluster.deleteTopics({ topics: mine });
    });
  });

  it('names the user by the certificate, as Strimzi names a tls user', () => {
    assert.equal(connectionUser(connection), `User:CN=${admin}`);
  });

  it('every kind of client works over it: admin, producers, consumer, reader, protocol admins, lag source', async () => {
    const kafka = createKafka(connection);
    await createTestTopic(kafka, topic);

    const producer = kafka.producer({ 'enable.idempotence': true });
    await producer.connect();
    await producer
      .send({ topic, messages: [{ key: 'k', value: 'plain' }] })
      .finally(() => producer.disconnect());

    const transactional = await connectTransactionalProducer({
      kafka,
      transactionalId: `${namespace}.mtls-tx`,
      transactionTimeoutMs: 10_000,
      maxRecordBytes: 1024,
    });
    try {
      const transaction = await transactional.transaction();
      await transaction.send({ topic, messages: [{ key: 'k', value: 'transactional' }] });
      await transaction.commit();
    } finally {
      await transactional.disconnect();
    }

    const consumer = kafka.consumer({
      'group.id': group,
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
      'enable.auto.commit': false,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic] });
      const read: string[] = [];
      const both = Promise.withResolvers<void>();
      await consumer.run({
        eachMessage: async ({ message, partition }) => {
          read.push(message.value?.toString() ?? '');
          await consumer.commitOffsets([
            { topic, partition, offset: String(Number(message.offset) + 1) },
          ]);
          if (read.length === 2) both.resolve();
        },
      });
      await both.promise;
      assert.deepEqual(read, ['plain', 'transactional'], 'a group member reads both');
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
        ['plain', 'transactional'],
        'the partition reader',
      );
    } finally {
      await reader.close();
    }

    const configs = new TopicConfigAdmin(connection);
    try {
      assert.equal((await configs.cluster()).brokerCount, 1, 'the topic config admin');
      assert.ok((await configs.describe([topic])).get(topic)?.['cleanup.policy']);
    } finally {
      await configs.close();
    }

    const lag = new KafkaLagSource(connection, { namespace });
    try {
      assert.ok((await lag.listGroups()).includes(group), 'the lag source lists groups');
      assert.deepEqual(
        [...((await lag.committedOffsets(group)).get(topic) ?? new Map<number, number>())],
        [[0, 2]],
        "the lag source reads the group's committed offsets",
      );
      assert.equal(
        (await lag.topicOffsets(topic)).get(0)?.lastStable,
        3,
        'and the partition ends (two records and the commit marker)',
      );
      assert.equal((await lag.firstRecord(topic, 0, 0))?.offset, 0, 'and a record');
    } finally {
      await lag.close();
    }
  });

  it("an agent's certificate gets the catalog's ACLs for its user, and no more", async () => {
    assert.ok(research, 'research is in the catalog');
    const user = agentUser(research);
    const acls = new AclAdmin(connection);
    try {
      await acls.allow(`User:CN=${user}`, agentAcls(research, { namespace }));
    } finally {
      await acls.close();
    }
    const produced = registry.physicalTopic('research-events');
    const forbidden = registry.physicalTopic('content-claims');
    const kafka = createKafka(connection);
    for (const name of [produced, forbidden]) await createTestTopic(kafka, name);

    const agent = new EventProducer({
      kafka: createKafka(userConnection(user, 'mtls-test-research')),
      registry,
      agent: 'research',
    });
    await agent.connect();
    try {
      const record = (to: string) => ({
        topic: to,
        key: 'k',
        value: Buffer.from('x'),
        headers: {},
      });
      await agent.sendRecords([record(produced)]);
      await assert.rejects(agent.sendRecords([record(forbidden)]), (error: unknown) => {
        assert.ok(error instanceof KafkaError, String(error));
        assert.equal(error.code, 'KAFKA_NOT_AUTHORIZED', error.message);
        assert.ok(error.message.includes(`User:CN=${user}`), error.message);
        assert.ok(error.message.includes(forbidden), error.message);
        return true;
      });
    } finally {
      await agent.disconnect();
    }
  });

  it('a client without a certificate is refused: KAFKA_AUTH_FAILED, a certificate is required', async () => {
    const noCertificate = kafkaConnectionFromEnv(mtlsEnv(undefined, undefined), 'mtls-none');
    await assert.rejects(
      waitForBroker(noCertificate, { retryMs: 100, signal: AbortSignal.timeout(20_000) }),
      refusedAtListener(/requires a client certificate.*KAFKA_SSL_CERT_LOCATION/),
    );
  });

  it('a certificate another CA signed is refused: KAFKA_AUTH_FAILED naming the certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paxfleet-mtls-'));
    try {
      const { cert, key } = foreignCertificate(dir);
      const stranger = kafkaConnectionFromEnv(mtlsEnv(cert, key), 'mtls-stranger');
      await assert.rejects(
        waitForBroker(stranger, { retryMs: 100, signal: AbortSignal.timeout(20_000) }),
        refusedAtListener(new RegExp(`refused the client certificate ${cert}`)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
