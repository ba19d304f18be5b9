import { Admin } from '@platformatic/kafka';
import { clientTlsOptions } from './client-tls.ts';
import type { KafkaConnection } from './connection.ts';

/**
 * A pure-protocol admin client with the connection's brokers, SASL and TLS settings (the
 * client certificate too), for the admin requests librdkafka lacks (DescribeConfigs,
 * IncrementalAlterConfigs, CreateAcls); `purpose` names it in the client id (e.g.
 * "configs", "acls").
 */
export function createProtocolAdmin(
  connection: KafkaConnection,
  purpose: string,
  options: { timeoutMs?: number; retries?: number } = {},
): Admin {
  return new Admin({
    clientId: `${connection.clientId}-${purpose}`,
    bootstrapBrokers: [...connection.brokers],
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
    ...(options.retries !== undefined && { retries: options.retries }),
    ...(connection.sasl && {
      sasl: {
        mechanism: connection.sasl.mechanism,
        username: connection.sasl.username,
        password: connection.sasl.password,
      },
    }),
    ...(connection.securityProtocol.endsWith('ssl') && {
      tls: clientTlsOptions(connection),
    }),
  });
}
