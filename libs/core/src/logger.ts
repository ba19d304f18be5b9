/** Fields of one log line, e.g. `{ topic, partition, error }`. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * What a library needs of a logger: the service's JSON logger (libs/service) is one,
 * and libraries below it (Kafka, events, lag) take this instead of defining their own.
 */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
}
