import { KafkaError } from './errors.ts';

export type SecurityProtocol = 'plaintext' | 'ssl' | 'sasl_plaintext' | 'sasl_ssl';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** Where the cluster is and how to authenticate to it. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly securityProtocol: SecurityProtocol;
  readonly sasl?: { mechanism: SaslMechanism; username: string; password: string };
  readonly caLocation?: string;
}

const securityProtocols: readonly SecurityProtocol[] = [
  'plaintext',
  'ssl',
  'sasl_plaintext',
  'sasl_ssl',
];
const saslMechanisms: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const brokerAddress = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;

function invalid(variable: string, problem: string): KafkaError {
  return new KafkaError('KAFKA_CONFIG_INVALID', `${variable} ${problem}`, {
    details: { variable },
  });
}

function oneOf<T extends string>(variable: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (!match) throw invalid(variable, `must be one of ${allowed.join(', ')} (got "${value}")`);
  return match;
}

/**
 * Reads the connection from KAFKA_BROKERS (comma-separated host:port),
 * KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME,
 * KAFKA_SASL_PASSWORD and KAFKA_SSL_CA_LOCATION. Errors name the variable.
 */
export function kafkaConnectionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  clientId: string,
): KafkaConnection {
  const rawBrokers = env.KAFKA_BROKERS?.trim();
  if (!rawBrokers) throw invalid('KAFKA_BROKERS', 'is required (for example 127.0.0.1:9092)');
  const brokers = rawBrokers.split(',').map((broker) => broker.trim());
  const badBroker = brokers.find((broker) => !brokerAddress.test(broker));
  if (badBroker !== undefined) {
    throw invalid(
      'KAFKA_BROKERS',
      `has "${badBroker}", expected host:port entries separated by commas`,
    );
  }

  const securityProtocol = oneOf(
    'KAFKA_SECURITY_PROTOCOL',
    env.KAFKA_SECURITY_PROTOCOL ?? 'plaintext',
    securityProtocols,
  );
  const usesSasl = securityProtocol.startsWith('sasl');
  let sasl: KafkaConnection['sasl'];
  if (usesSasl) {
    const mechanism = oneOf(
      'KAFKA_SASL_MECHANISM',
      env.KAFKA_SASL_MECHANISM ?? 'SCRAM-SHA-512',
      saslMechanisms,
    );
    const username = env.KAFKA_SASL_USERNAME;
    const password = env.KAFKA_SASL_PASSWORD;
    if (!username)
      throw invalid(
        'KAFKA_SASL_USERNAME',
        `is required when KAFKA_SECURITY_PROTOCOL is ${securityProtocol}`,
      );
    if (!password)
      throw invalid(
        'KAFKA_SASL_PASSWORD',
        `is required when KAFKA_SECURITY_PROTOCOL is ${securityProtocol}`,
      );
    sasl = { mechanism, username, password };
  }
  const caLocation = env.KAFKA_SSL_CA_LOCATION;
  return {
    brokers,
    clientId,
    securityProtocol,
    ...(sasl && { sasl }),
    ...(caLocation && { caLocation }),
  };
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
  return properties;
}
