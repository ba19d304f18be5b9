import { Type } from '@sinclair/typebox';
import { configFragment, loadConfig, requiredWhen, type ConfigOf, type Env } from '@paxfleet/core';
import { NAMESPACE_PATTERN } from './namespace.ts';

export const SECURITY_PROTOCOLS = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Where the cluster is and how to authenticate to it. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly securityProtocol: SecurityProtocol;
  readonly sasl?: { mechanism: SaslMechanism; username: string; password: string };
  readonly caLocation?: string;
  /** With a TLS protocol: the certificate the client authenticates with (mTLS). */
  readonly clientCertificate?: ClientCertificate;
}

/** PEM files of a client certificate and its private key (Strimzi's user.crt and user.key). */
export interface ClientCertificate {
  readonly certLocation: string;
  readonly keyLocation: string;
  /** The key's passphrase, if it is encrypted. */
  readonly keyPassword?: string;
}

const usesSasl = (protocol: unknown) => typeof protocol === 'string' && protocol.startsWith('sasl');

const requiredWithSasl = (variable: string) =>
  requiredWhen(
    variable,
    (config) => usesSasl(config.KAFKA_SECURITY_PROTOCOL),
    (config) => `when KAFKA_SECURITY_PROTOCOL is ${String(config.KAFKA_SECURITY_PROTOCOL)}`,
  );

const usesTls = (protocol: unknown) => typeof protocol === 'string' && protocol.endsWith('ssl');

/** A client certificate takes both files: one without the other cannot authenticate. */
const requiredWithClientCertificate = (variable: string, other: string) =>
  requiredWhen(
    variable,
    (config) => usesTls(config.KAFKA_SECURITY_PROTOCOL) && config[other] !== undefined,
    `when ${other} is set`,
  );

/** The variables of the Kafka connection, read by every service. */
export const kafkaConfig = configFragment(
  'Kafka connection',
  {
    KAFKA_BROKERS: Type.Array(
      Type.String({
        pattern: '^[A-Za-z0-9.\\-_[\\]:]+:\\d{1,5}$',
        errorMessage: 'must be host:port',
      }),
      { minItems: 1, description: 'The bootstrap brokers, e.g. 127.0.0.1:9092,kafka-1:9092.' },
    ),
    KAFKA_SECURITY_PROTOCOL: Type.Union(
      SECURITY_PROTOCOLS.map((protocol) => Type.Literal(protocol)),
      { default: 'plaintext', description: 'How clients talk to the brokers.' },
    ),
    KAFKA_SASL_MECHANISM: Type.Union(
      SASL_MECHANISMS.map((mechanism) => Type.Literal(mechanism)),
      { default: 'SCRAM-SHA-512', description: 'With a sasl_* protocol: how it authenticates.' },
    ),
    KAFKA_SASL_USERNAME: Type.Optional(
      Type.String({ minLength: 1, description: 'With a sasl_* protocol: the Kafka user.' }),
    ),
    KAFKA_SASL_PASSWORD: Type.Optional(
      Type.String({ minLength: 1, description: "With a sasl_* protocol: the user's password." }),
    ),
    KAFKA_SSL_CA_LOCATION: Type.Optional(
      Type.String({
        minLength: 1,
        description: "A PEM file of the CA that signed the brokers' certificates.",
      }),
    ),
    KAFKA_SSL_CERT_LOCATION: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "With the ssl protocol on a listener that requires client authentication (mTLS; Strimzi's `tls` users): a PEM file of the client's certificate (user.crt). The broker's principal is `User:` and the certificate's subject, e.g. `User:CN=paxfleet-research`.",
      }),
    ),
    KAFKA_SSL_KEY_LOCATION: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "With KAFKA_SSL_CERT_LOCATION: a PEM file of the certificate's private key (user.key).",
      }),
    ),
    KAFKA_SSL_KEY_PASSWORD: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'With KAFKA_SSL_KEY_LOCATION: the passphrase of an encrypted key.',
      }),
    ),
    KAFKA_NAMESPACE: Type.Optional(
      Type.String({
        pattern: NAMESPACE_PATTERN,
        errorMessage:
          'must be letters, digits, "_" or "-", starting with a letter or digit, at most 64 characters',
        description:
          'Runs the service in a namespace of its own on the cluster (a shadow fleet): every topic, consumer group and transactional id it uses is `<namespace>.<name>`. Unset: the live names.',
      }),
    ),
  },
  requiredWithSasl('KAFKA_SASL_USERNAME'),
  requiredWithSasl('KAFKA_SASL_PASSWORD'),
  requiredWithClientCertificate('KAFKA_SSL_KEY_LOCATION', 'KAFKA_SSL_CERT_LOCATION'),
  requiredWithClientCertificate('KAFKA_SSL_CERT_LOCATION', 'KAFKA_SSL_KEY_LOCATION'),
);

export type KafkaConfig = ConfigOf<typeof kafkaConfig>;

/** The connection a loaded configuration describes, for one client id. */
export function kafkaConnectionFromConfig(config: KafkaConfig, clientId: string): KafkaConnection {
  const protocol = config.KAFKA_SECURITY_PROTOCOL;
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  const { KAFKA_SSL_CERT_LOCATION: certLocation, KAFKA_SSL_KEY_LOCATION: keyLocation } = config;
  const keyPassword = config.KAFKA_SSL_KEY_PASSWORD;
  return {
    brokers: config.KAFKA_BROKERS,
    clientId,
    securityProtocol: protocol,
    ...(usesSasl(protocol) &&
      username &&
      password && { sasl: { mechanism: config.KAFKA_SASL_MECHANISM, username, password } }),
    ...(config.KAFKA_SSL_CA_LOCATION && { caLocation: config.KAFKA_SSL_CA_LOCATION }),
    ...(usesTls(protocol) &&
      certLocation &&
      keyLocation && {
        clientCertificate: { certLocation, keyLocation, ...(keyPassword && { keyPassword }) },
      }),
  };
}

/**
 * The connection from the KAFKA_* variables alone, for tools and tests that read no other
 * configuration. Throws ConfigError (CONFIG_INVALID) naming every bad variable.
 */
export function kafkaConnectionFromEnv(env: Env, clientId: string): KafkaConnection {
  return kafkaConnectionFromConfig(loadConfig(kafkaConfig, env), clientId);
}

/** librdkafka properties for a connection; secrets stay out of anything logged. */
export function librdkafkaProperties(connection: KafkaConnection): Record<string, string> {
  const properties: Record<string, string> = {
    'bootstrap.servers': connection.brokers.join(','),
    'client.id': connection.clientId,
    'security.protocol': connection.securityProtocol,
  };
  if (connection.sasl) {
    properties['sasl.mechanisms'] = connection.sasl.mechanism;
    properties['sasl.username'] = connection.sasl.username;
    properties['sasl.password'] = connection.sasl.password;
  }
  if (connection.caLocation) properties['ssl.ca.location'] = connection.caLocation;
  const certificate = connection.clientCertificate;
  if (certificate) {
    properties['ssl.certificate.location'] = certificate.certLocation;
    properties['ssl.key.location'] = certificate.keyLocation;
    if (certificate.keyPassword) properties['ssl.key.password'] = certificate.keyPassword;
  }
  return properties;
}
