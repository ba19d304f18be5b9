import type { Logger } from '@paxfleet/core';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { connect as connectTls } from 'node:tls';
import kafkaJavascript from '@confluentinc/kafka-javascript';
import { clientTlsOptions } from './client-tls.ts';
import { librdkafkaProperties, type KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';

export interface WaitForBrokerOptions {
  /** Aborting it (a shutdown) ends the wait at once with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Time for one attempt: a broker answering, then the credentials check (default 5 s). */
  readonly attemptTimeoutMs?: number;
  /** Pause between attempts (default 1 s). */
  readonly retryMs?: number;
  /** Told after the first failed attempt and every 30th, and when the broker answers after failures. */
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
}

const REPORT_EVERY = 30;
const API_VERSIONS = 18;

/** An ApiVersions v0 request: the first request of every Kafka client, answered before any auth. */
function apiVersionsRequest(clientId: string, correlationId: number): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + id.length);
  request.writeInt32BE(request.length - 4, 0);
  request.writeInt16BE(API_VERSIONS, 4);
  request.writeInt16BE(0, 6);
  request.writeInt32BE(correlationId, 8);
  request.writeInt16BE(id.length, 12);
  id.copy(request, 14);
  return request;
}

/**
 * The TLS alerts a listener with ssl.client.auth=required sends for a client certificate it
 * did not get (Java's TLS 1.3 sends bad certificate) or does not trust (certificate unknown),
 * by Node's error code: ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE with OpenSSL 3, SSLV3_ALERT_ or
 * TLSV13_ALERT_ before.
 */
const CERTIFICATE_ALERT =
  /_ALERT_(BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_REQUIRED|UNKNOWN_CA)$/;

/**
 * KAFKA_AUTH_FAILED when the broker's TLS alert says it refuses the client's certificate, or
 * that it requires one: a listener with ssl.client.auth=required. Waiting cannot change it.
 */
function certificateRefused(
  connection: KafkaConnection,
  address: string,
  error: Error,
): KafkaError | undefined {
  const found = CERTIFICATE_ALERT.exec((error as { code?: string }).code ?? '');
  if (!found) return undefined;
  const alert = (found[1] ?? '').toLowerCase().replace('_', ' ');
  const variables = ['KAFKA_SSL_CERT_LOCATION', 'KAFKA_SSL_KEY_LOCATION'];
  const certificate = connection.clientCertificate;
  const message = certificate
    ? `the listener at ${address} refused the client certificate ${certificate.certLocation} (TLS alert: ${alert}): it requires a client certificate signed by a CA it trusts; check KAFKA_SSL_CERT_LOCATION and KAFKA_SSL_KEY_LOCATION`
    : `the listener at ${address} requires a client certificate (TLS alert: ${alert}): set KAFKA_SSL_CERT_LOCATION and KAFKA_SSL_KEY_LOCATION to the user's certificate and key`;
  return new KafkaError('KAFKA_AUTH_FAILED', message, {
    cause: error,
    details: { listener: address, tls_alert: alert, variables },
  });
}

/**
 * Resolves when the broker at `address` answers Kafka's protocol: it connects (TLS when
 * the protocol says so, with the connection's CA and client certificate) and waits for the response to one
 * ApiVersions request. Plain sockets, so an abort or the timeout ends it at once.
 */
async function answersKafka(
  connection: KafkaConnection,
  address: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(separator + 1));
  const tls = connection.securityProtocol.endsWith('ssl');
  const correlationId = 1 + Math.floor(Math.random() * 0x7ffffffe);
  const timeout = AbortSignal.timeout(timeoutMs);
  const ended = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const socket: Socket = tls
    ? connectTls({
        host,
        port,
        ...clientTlsOptions(connection),
        ...(!isIP(host) && { servername: host }),
      })
    : connectTcp({ host, port });
  try {
    await new Promise<void>((resolve, reject) => {
      let received = Buffer.alloc(0);
      // An abort is rethrown by the caller as the signal's reason.
      const onEnd = (): void =>
        reject(
          new Error(
            signal?.aborted ? 'aborted' : `${address} did not answer within ${timeoutMs} ms`,
          ),
        );
      if (ended.aborted) onEnd();
      ended.addEventListener('abort', onEnd, { once: true });
      socket.once('error', (error) =>
        reject(certificateRefused(connection, address, error) ?? error),
      );
      socket.once('close', () => reject(new Error(`${address} closed the connection`)));
      socket.once(tls ? 'secureConnect' : 'connect', () =>
        socket.write(apiVersionsRequest(connection.clientId, correlationId)),
      );
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 8) return;
        if (received.readInt32BE(4) === correlationId) resolve();
        else reject(new Error(`${address} answered, but not as a Kafka broker`));
      });
    });
  } finally {
    socket.destroy();
  }
}

/**
 * The broker's refusal of the connection's SASL credentials, if it refuses them: one
 * librdkafka producer connects, and the check ends as soon as its log says the
 * authentication failed (librdkafka only logs that, then keeps retrying). Asked once a
 * broker answers, so it takes a round trip or two, not a timeout.
 */
async function credentialsRefused(
  connection: KafkaConnection,
  timeoutMs: number,
): Promise<string | undefined> {
  const producer = new kafkaJavascript.Producer({
    ...librdkafkaProperties(connection),
    'client.id': `${connection.clientId}-probe`,
    event_cb: true,
  });
  const connected = new Promise<boolean>((resolve) => {
    producer.connect({ timeout: timeoutMs, allTopics: false }, (error: unknown) => resolve(!error));
  });
  const refused = new Promise<string>((resolve) => {
    producer.on('event.log', (line: { message?: string }) => {
      const message = line.message ?? '';
      if (message.includes('SASL authentication error')) resolve(message);
    });
  });
  // librdkafka cannot abort a connect: the producer goes once its connect has ended.
  void connected.then((ok) => ok && producer.disconnect());
  return Promise.race([refused, connected.then(() => undefined)]);
}

/**
 * Resolves once the cluster answers with the connection's brokers, TLS settings and
 * SASL credentials, retrying until then. Services call it before connecting their Kafka
 * clients: librdkafka cannot abort a connect, and a process exiting while one is pending
 * waits for it. This wait sends the protocol's first request over plain sockets, so it
 * stops when the signal aborts. Refused SASL credentials, and a listener refusing the client
 * certificate or requiring one, are not worth waiting for: they fail with KAFKA_AUTH_FAILED,
 * naming the variables to check.
 */
export async function waitForBroker(
  connection: KafkaConnection,
  options: WaitForBrokerOptions = {},
): Promise<void> {
  const { signal, attemptTimeoutMs = 5000, retryMs = 1000 } = options;
  const brokers = connection.brokers.join(',');
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      await Promise.any(
        connection.brokers.map((address) =>
          answersKafka(connection, address, attemptTimeoutMs, signal),
        ),
      ).catch((error: unknown) => {
        throw error instanceof AggregateError ? (error.errors[0] as unknown) : error;
      });
      const refused = connection.sasl && (await credentialsRefused(connection, attemptTimeoutMs));
      if (refused && connection.sasl) {
        throw new KafkaError(
          'KAFKA_AUTH_FAILED',
          `${brokers} refused the ${connection.sasl.mechanism} credentials of user "${connection.sasl.username}": check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`,
          {
            cause: new Error(refused),
            details: {
              variables: ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM'],
            },
          },
        );
      }
      if (attempt > 1) options.logger?.info('Kafka answers', { brokers, attempts: attempt });
      return;
    } catch (error) {
      signal?.throwIfAborted();
      if (error instanceof KafkaError) throw error;
      if (attempt % REPORT_EVERY === 1) {
        options.logger?.warn('waiting for Kafka', {
          brokers,
          attempt,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    await delay(retryMs, undefined, signal ? { signal } : {}).catch((error: unknown) => {
      signal?.throwIfAborted();
      throw error;
    });
  }
}
