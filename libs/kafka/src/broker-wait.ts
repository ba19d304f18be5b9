import { setTimeout as delay } from 'node:timers/promises';
import type { KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';
import { createProtocolAdmin } from './protocol-admin.ts';

export interface WaitForBrokerOptions {
  /** Aborting it (a shutdown) ends the wait at once with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Time for one metadata request (default 5 s). */
  readonly attemptTimeoutMs?: number;
  /** Pause between attempts (default 1 s). */
  readonly retryMs?: number;
  /** Told after the first failed attempt and every 30th, and when the broker answers after failures. */
  readonly logger?: BrokerWaitLogger;
}

export interface BrokerWaitLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

const REPORT_EVERY = 30;

/** Whether the client's error, or one it wraps, is the broker refusing the SASL credentials. */
function isAuthenticationFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const { code, errors, cause } = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (code === 'PLT_KFK_AUTHENTICATION') return true;
  const inner: unknown[] = Array.isArray(errors) ? (errors as unknown[]) : [];
  return [...inner, cause].some((wrapped) => isAuthenticationFailure(wrapped, depth + 1));
}

/**
 * Resolves once the cluster answers a metadata request with the connection's
 * brokers, SASL and TLS settings, retrying until then. Services call it before
 * connecting their Kafka clients: librdkafka cannot abort a connect, and a
 * process exiting while one is pending waits for it (30 s when the broker is
 * unreachable). This wait is plain JavaScript and stops when the signal aborts.
 * Refused SASL credentials are not worth waiting for: they fail with
 * KAFKA_AUTH_FAILED, naming the variables to check.
 */
export async function waitForBroker(
  connection: KafkaConnection,
  options: WaitForBrokerOptions = {},
): Promise<void> {
  const { signal, attemptTimeoutMs = 5000, retryMs = 1000 } = options;
  const brokers = connection.brokers.join(',');
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const admin = createProtocolAdmin(connection, 'probe', {
      timeoutMs: attemptTimeoutMs,
      retries: 0,
    });
    const aborted = Promise.withResolvers<never>();
    aborted.promise.catch(() => {});
    const onAbort = (): void => aborted.reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([admin.metadata({ topics: [] }), aborted.promise]);
      if (attempt > 1) options.logger?.info('Kafka answers', { brokers, attempts: attempt });
      return;
    } catch (error) {
      signal?.throwIfAborted();
      if (connection.sasl && isAuthenticationFailure(error)) {
        throw new KafkaError(
          'KAFKA_AUTH_FAILED',
          `${brokers} refused the ${connection.sasl.mechanism} credentials of user "${connection.sasl.username}": check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`,
          {
            cause: error,
            details: {
              variables: ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM'],
            },
          },
        );
      }
      if (attempt % REPORT_EVERY === 1) {
        options.logger?.warn('waiting for Kafka', {
          brokers,
          attempt,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await admin.close().catch(() => {});
    }
    await delay(retryMs, undefined, signal ? { signal } : {}).catch((error: unknown) => {
      signal?.throwIfAborted();
      throw error;
    });
  }
}
