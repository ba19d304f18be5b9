import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@paxfleet/core';
import { kafkaConnectionFromEnv, librdkafkaProperties } from './connection.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    kafkaConnectionFromEnv(env, 'test');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('kafkaConnectionFromEnv', () => {
  it('reads a plaintext cluster from KAFKA_BROKERS', () => {
    const connection = kafkaConnectionFromEnv(
      { KAFKA_BROKERS: '127.0.0.1:9092, kafka-1:9092' },
      'research',
    );
    assert.deepEqual(connection.brokers, ['127.0.0.1:9092', 'kafka-1:9092']);
    assert.equal(connection.securityProtocol, 'plaintext');
    assert.equal(connection.sasl, undefined);
    assert.deepEqual(librdkafkaProperties(connection), {
      'bootstrap.servers': '127.0.0.1:9092,kafka-1:9092',
      'client.id': 'research',
      'security.protocol': 'plaintext',
    });
  });

  it('names the missing variable', () => {
    const error = configError({});
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.details.variable, 'KAFKA_BROKERS');
    assert.match(error.message, /KAFKA_BROKERS is required/);
  });

  it('rejects a broker without a port', () => {
    assert.match(
      configError({ KAFKA_BROKERS: 'localhost' }).message,
      /KAFKA_BROKERS must be a non-empty comma-separated list, each entry must be host:port \(got "localhost"\)/,
    );
  });

  it('rejects an unknown security protocol', () => {
    const error = configError({ KAFKA_BROKERS: 'a:1', KAFKA_SECURITY_PROTOCOL: 'tls' });
    assert.equal(error.details.variable, 'KAFKA_SECURITY_PROTOCOL');
  });

  it('requires SASL credentials for sasl protocols and passes them to librdkafka', () => {
    const base = { KAFKA_BROKERS: 'a:9093', KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' };
    assert.deepEqual(
      (configError(base).details.problems as { variable: string }[]).map(
        ({ variable }) => variable,
      ),
      ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
    );
    assert.equal(
      configError({ ...base, KAFKA_SASL_USERNAME: 'u' }).details.variable,
      'KAFKA_SASL_PASSWORD',
    );
    const connection = kafkaConnectionFromEnv(
      {
        ...base,
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_SSL_CA_LOCATION: '/ca.crt',
      },
      'seo',
    );
    assert.deepEqual(librdkafkaProperties(connection), {
      'bootstrap.servers': 'a:9093',
      'client.id': 'seo',
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'u',
      'sasl.password': 'p',
      'ssl.ca.location': '/ca.crt',
    });
  });

  it('takes a client certificate and key together with a TLS protocol and passes them to librdkafka', () => {
    const base = { KAFKA_BROKERS: 'a:9093', KAFKA_SECURITY_PROTOCOL: 'ssl' };
    assert.equal(
      configError({ ...base, KAFKA_SSL_CERT_LOCATION: '/user.crt' }).details.variable,
      'KAFKA_SSL_KEY_LOCATION',
    );
    assert.equal(
      configError({ ...base, KAFKA_SSL_KEY_LOCATION: '/user.key' }).details.variable,
      'KAFKA_SSL_CERT_LOCATION',
    );
    const connection = kafkaConnectionFromEnv(
      {
        ...base,
        KAFKA_SSL_CA_LOCATION: '/ca.crt',
        KAFKA_SSL_CERT_LOCATION: '/user.crt',
        KAFKA_SSL_KEY_LOCATION: '/user.key',
        KAFKA_SSL_KEY_PASSWORD: 'k',
      },
      'seo',
    );
    assert.deepEqual(librdkafkaProperties(connection), {
      'bootstrap.servers': 'a:9093',
      'client.id': 'seo',
      'security.protocol': 'ssl',
      'ssl.ca.location': '/ca.crt',
      'ssl.certificate.location': '/user.crt',
      'ssl.key.location': '/user.key',
      'ssl.key.password': 'k',
    });
    const plaintext = kafkaConnectionFromEnv(
      { KAFKA_BROKERS: 'a:9092', KAFKA_SSL_CERT_LOCATION: '/user.crt' },
      'seo',
    );
    assert.equal(plaintext.clientCertificate, undefined, 'no TLS, no certificate');
  });
});
