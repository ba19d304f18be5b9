// The consume-transform-produce loop of the Java reference (java/EosLoop.java) on three
// JavaScript clients: each output is the input's key and value, one transaction per
// `perTransaction` records (fewer for the last), the consumed offsets sent in the
// transaction. Each runs with its best settings for this loop (said at each), not its
// defaults, and returns records/s from its first record to its last commit.
import kafkaJavascript from '@confluentinc/kafka-javascript';
import { Consumer, FetchIsolationLevels, Producer, type Message } from '@platformatic/kafka';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

export interface LoopOptions {
  readonly brokers: readonly string[];
  readonly input: string;
  readonly output: string;
  readonly group: string;
  readonly transactionalId: string;
  readonly records: number;
  readonly perTransaction: number;
}

/** Counts records and times the run from the first record to the last commit. */
class Clock {
  #first = 0;
  #last = 0;
  done = 0;

  started(): void {
    this.#first ||= performance.now();
  }

  committed(records: number): void {
    this.done += records;
    this.#last = performance.now();
  }

  rate(): number {
    return this.done / ((this.#last - this.#first) / 1000);
  }
}

/** A batch's messages, `size` at a time: one transaction each. */
function* chunksOf<T>(messages: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < messages.length; start += size) {
    yield messages.slice(start, start + size);
  }
}

/** The offsets a transaction commits after a chunk of one partition: the next one to read. */
function offsetsAfter(topic: string, partition: number, lastOffset: string) {
  return [{ topic, partitions: [{ partition, offset: String(Number(lastOffset) + 1) }] }];
}

/** Resolves when `clock` has counted every record, polling every 20 ms. */
async function allDone(clock: Clock, records: number): Promise<void> {
  while (clock.done < records) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * KafkaJS 2.2.4: eachBatch, one transaction per chunk of the batch. Best settings: retries
 * from 10 ms (its 300 ms start turns each CONCURRENT_TRANSACTIONS answer after a commit
 * into a stall), maxInFlightRequests 1 as its idempotent producer requires.
 */
export async function kafkajsLoop(options: LoopOptions): Promise<number> {
  const kafka = new Kafka({
    clientId: options.group,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 10, retries: 30 },
  });
  const producer = kafka.producer({
    transactionalId: options.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { initialRetryTime: 10, retries: 30 },
  });
  const consumer = kafka.consumer({ groupId: options.group, readUncommitted: false });
  const clock = new Clock();
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.input, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        clock.started();
        for (const chunk of chunksOf(batch.messages, options.perTransaction)) {
          const last = chunk.at(-1) as KafkaMessage;
          const transaction = await producer.transaction();
          await transaction.send({
            topic: options.output,
            messages: chunk.map((message) => ({ key: message.key, value: message.value })),
          });
          await transaction.sendOffsets({
            consumerGroupId: options.group,
            topics: offsetsAfter(batch.topic, batch.partition, last.offset),
          });
          await transaction.commit();
          payload.resolveOffset(last.offset);
          clock.committed(chunk.length);
          await payload.heartbeat();
        }
      },
    });
    await allDone(clock, options.records);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return clock.rate();
}

/**
 * @platformatic/kafka 2.12.1: the consumer's message stream, a transaction per chunk with
 * the consumer's group added and the last offset of each partition in it. Best settings:
 * retryDelay 10 ms (its 1000 ms default stalls after each commit), maxWaitTime 100 ms.
 */
export async function platformaticLoop(options: LoopOptions): Promise<number> {
  const producer = new Producer({
    clientId: options.transactionalId,
    bootstrapBrokers: [...options.brokers],
    idempotent: true,
    transactionalId: options.transactionalId,
    retries: 30,
    retryDelay: 10,
    autocreateTopics: false,
  });
  const consumer = new Consumer({
    clientId: options.group,
    groupId: options.group,
    bootstrapBrokers: [...options.brokers],
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    maxWaitTime: 100,
    retries: 30,
    retryDelay: 10,
  });
  const clock = new Clock();
  try {
    const stream = await consumer.consume({
      topics: [options.input],
      mode: 'earliest',
      autocommit: false,
    });
    let chunk: Message[] = [];
    for await (const message of stream) {
      clock.started();
      chunk.push(message);
      if (chunk.length < options.perTransaction && clock.done + chunk.length < options.records) {
        continue;
      }
      const transaction = await producer.beginTransaction();
      await transaction.send({
        messages: chunk.map((record) => ({
          topic: options.output,
          key: record.key,
          value: record.value,
        })),
      });
      await transaction.addConsumer(consumer);
      const lastOfPartition = new Map<number, Message>();
      for (const record of chunk) lastOfPartition.set(record.partition, record);
      for (const record of lastOfPartition.values()) await transaction.addOffset(record);
      await transaction.commit();
      clock.committed(chunk.length);
      chunk = [];
      if (clock.done >= options.records) break;
    }
    await stream.close();
  } finally {
    await consumer.close();
    await producer.close();
  }
  return clock.rate();
}

/**
 * @confluentinc/kafka-javascript 1.10.1 (librdkafka), the loop written directly on its
 * promisified API in the order paxfleet's processor calls it: eachBatch, begin, send,
 * sendOffsets with the consumer, commit. Best settings: linger.ms 0 (the send waits for
 * its delivery reports before the offsets go) and retry.backoff.ms 10.
 */
export async function confluentLoop(options: LoopOptions): Promise<number> {
  const kafka = new kafkaJavascript.KafkaJS.Kafka({
    'bootstrap.servers': options.brokers.join(','),
    kafkaJS: { logLevel: kafkaJavascript.KafkaJS.logLevel.NOTHING },
  } as kafkaJavascript.KafkaJS.CommonConstructorConfig);
  const producer = kafka.producer({
    'transactional.id': options.transactionalId,
    'enable.idempotence': true,
    'linger.ms': 0,
    'retry.backoff.ms': 10,
  });
  const consumer = kafka.consumer({
    'group.id': options.group,
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': false,
    'isolation.level': 'read_committed',
  });
  const clock = new Clock();
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [options.input] });
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        clock.started();
        for (const chunk of chunksOf(batch.messages, options.perTransaction)) {
          const last = chunk.at(-1) as (typeof chunk)[number];
          const transaction = await producer.transaction();
          await transaction.send({
            topic: options.output,
            messages: chunk.map((message) => ({ key: message.key, value: message.value })),
          });
          await transaction.sendOffsets({
            consumer,
            topics: offsetsAfter(batch.topic, batch.partition, last.offset),
          });
          await transaction.commit();
          payload.resolveOffset(last.offset);
          clock.committed(chunk.length);
        }
      },
    });
    await allDone(clock, options.records);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return clock.rate();
}
