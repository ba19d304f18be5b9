import type { Logger } from '@paxfleet/core';
import { kafkaUser, refusalLogger, type Kafka, type KafkaError } from '@paxfleet/kafka';

type ConsumerLogging = Pick<NonNullable<Parameters<Kafka['consumer']>[0]>, 'kafkaJS'>;

/**
 * What a processor does once the broker's ACLs refuse it: once, it stops taking events and
 * hands the error (KAFKA_NOT_AUTHORIZED) to onRefused, or logs it. Retrying cannot help.
 */
export class Refusal {
  readonly #logger: Logger;
  readonly #onRefused: ((error: KafkaError) => void) | undefined;
  readonly #stop: () => void;
  #error: KafkaError | undefined;

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
}
