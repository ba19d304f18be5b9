import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';

/** What Node's TLS needs of a connection: the CA and, for mTLS, the client certificate and key. */
export interface ClientTlsOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly passphrase?: string;
}

function readPem(variable: string, location: string): Buffer {
  try {
    return readFileSync(location);
  } catch (cause) {
    throw new KafkaError(
      'KAFKA_CONNECT_FAILED',
      `cannot read ${variable} ${location}: ${(cause as Error).message}`,
      { cause, details: { variable, fix: `point ${variable} at a readable PEM file` } },
    );
  }
}

/**
 * The connection's PEM files, read for the clients that speak TLS through Node (the broker
 * probe, the pure-protocol admin); librdkafka reads them itself. An unreadable file, or a key
 * that does not fit, is KAFKA_CONNECT_FAILED naming the variables: waiting cannot fix it.
 */
export function clientTlsOptions(connection: KafkaConnection): ClientTlsOptions {
  const certificate = connection.clientCertificate;
  const options: ClientTlsOptions = {
    ...(connection.caLocation && {
      ca: readPem('KAFKA_SSL_CA_LOCATION', connection.caLocation),
    }),
    ...(certificate && {
      cert: readPem('KAFKA_SSL_CERT_LOCATION', certificate.certLocation),
      key: readPem('KAFKA_SSL_KEY_LOCATION', certificate.keyLocation),
      ...(certificate.keyPassword && { passphrase: certificate.keyPassword }),
    }),
  };
  if (certificate) usableCertificate(options);
  return options;
}

/** A key that does not match its certificate, or a wrong passphrase, fails here and not at every connect. */
function usableCertificate(options: ClientTlsOptions): void {
  try {
    createSecureContext(options);
  } catch (cause) {
    throw new KafkaError(
      'KAFKA_CONNECT_FAILED',
      `the client certificate and key cannot be used: ${(cause as Error).message}`,
      {
        cause,
        details: {
          variables: [
            'KAFKA_SSL_CERT_LOCATION',
            'KAFKA_SSL_KEY_LOCATION',
            'KAFKA_SSL_KEY_PASSWORD',
          ],
          fix: 'give the certificate and its own private key, and the passphrase of an encrypted key',
        },
      },
    );
  }
}

/**
 * The principal Kafka's default ssl.principal.mapping.rules give a client certificate: its
 * subject as an RFC 2253 name, most specific part first (`CN=paxfleet-research`, as Strimzi's
 * `tls` users are named in ACLs). Undefined when the file cannot be read or parsed.
 */
export function certificatePrincipal(certLocation: string): string | undefined {
  try {
    const subject = new X509Certificate(readFileSync(certLocation)).subject;
    return subject.split('\n').reverse().join(',');
  } catch {
    return undefined;
  }
}
