import type { Logger } from '@paxfleet/core';
import { kafkaUser, refusalLogger, refusalOf, type Kafka, type KafkaError } from '@paxfleet/kafka';

type ConsumerLogging = Pick<NonNullable<Parameters<Kafka['consumer']>[0]>, 'kafkaJS'>;
export type ProducerLogging = Pick<NonNullable<Parameters<Kafka['producer']>[0]>, 'kafkaJS'>;

/**
 * What a processor does once the broker's ACLs refuse it: once, it stops taking events and
 * hands the error (KAFKA_NOT_AUTHORIZED) to onRefused, or logs it. Retrying cannot help.
 */
export class Refusal {
  readonly #logger: Logger;
  readonly #onRefused: ((error: KafkaError) => void) | undefined;
  readonly #stop: () => void;
  #error: KafkaError | undefined;
  #producerRefusal: Error | undefined;

  constructor(
    logger: Logger,
    onRefused: ((error: KafkaError) => void) | undefined,
    stop: () => void,
  ) {
    this.#logger = logger;
    this.#onRefused = onRefused;
    this.#stop = stop;
  }

  get refused(): boolean {
    return this.#error !== undefined;
  }

  report(error: KafkaError): void {
    if (this.#error) return;
    this.#error = error;
    this.#stop();
    if (this.#onRefused) this.#onRefused(error);
    else
      this.#logger.error('not authorized: stopped consuming', {
        code: error.code,
        error: error.message,
      });
  }

  /**
   * The consumer setting that turns the client's refusal lines (a refused group join or
   * fetch, which the KafkaJS consumer only logs while it retries forever) into report();
   * its other lines go to the logger, as createKafka's do.
   */
  consumerLogger(kafka: Kafka, action: string): ConsumerLogging {
    const logger = refusalLogger(this.#logger, kafkaUser(kafka), action, (error) =>
      this.report(error),
    );
    // The client merges this block into the Kafka object's own; only the logger is replaced.
    return { kafkaJS: { logger } as ConsumerLogging['kafkaJS'] };
  }

  /**
   * The transactional producer's setting: a transaction the broker refuses (a topic the
   * user may not write, offsets of a group it may not commit to) fails its send with only
   * "Local: Purged in queue"; the refusal is in the client's log line, kept here for
   * takeProducerRefusal(). A refused transactional id is the connect's own error.
   */
  producerLogging(): ProducerLogging {
    const logger: ReturnType<typeof refusalLogger> = {
      info: () => {},
      debug: () => {},
      warn: () => {},
      error: (message, extra) => {
        const refusal = refusalOf(new Error(message));
        if (refusal && refusal.resource !== 'transactionalId') {
          this.#producerRefusal = new Error(message);
          return;
        }
        const { name, fac } = (extra ?? {}) as { name?: string; fac?: string };
        this.#logger.error(`kafka client: ${message}`, { client: name, facility: fac });
      },
      setLogLevel: () => {},
      namespace: () => logger,
    };
    return { kafkaJS: { logger } };
  }

  /** The refusal the producer logged since the last call, if any. */
  takeProducerRefusal(): Error | undefined {
    const refusal = this.#producerRefusal;
    this.#producerRefusal = undefined;
    return refusal;
  }
}
