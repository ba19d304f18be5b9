import { setTimeout as delay } from 'node:timers/promises';
import {
  connectTransactionalProducer,
  contextFromHeaders,
  DEFAULT_MAX_RECORD_BYTES,
  encodeRecord,
  HEADER,
  recoverProducer,
  type DeadLetterRedrive,
  type EventRegistry,
} from '@paxfleet/events';
import { createKafka, type KafkaConnection, type Producer } from '@paxfleet/kafka';
import { deadLetterId, parseDeadLetterId } from './dead-letter-id.ts';
import { CliError } from '../errors.ts';
import {
  readDeadLettersAt,
  readRedrives,
  redriveOf,
  REDRIVE_TOPIC,
  type Redrive,
  type StoredDeadLetter,
} from './read.ts';

/**
 * One transactional id for every redrive of the fleet (in its namespace), so that a
 * redrive that starts fences every one before it: see redriveDeadLetters.
 */
export const REDRIVE_TRANSACTIONAL_ID = 'paxfleet-dead-letter-redrive';
/** Added to a re-published record: the id of the dead letter it was re-driven from. */
export const REDRIVEN_FROM_HEADER = 'redriven-from';
/** The producer header of the markers. */
const REDRIVE_PRODUCER = 'dead-letter-redrive';
const TRANSACTION_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 5;

export type RedriveResult =
  | { readonly id: string; readonly status: 'redriven'; readonly redrive: Redrive }
  | { readonly id: string; readonly status: 'already-redriven'; readonly redrive: Redrive }
  | { readonly id: string; readonly status: 'not-found' };

export interface RedriveOptions {
  /** Who asks (an operator's name): kept in the marker. */
  readonly by: string;
  readonly clock?: () => number;
}

/**
 * Re-publishes each dead letter to its source topic (its key, value and headers, and
 * REDRIVEN_FROM_HEADER), in one Kafka transaction with its marker on dead-letter-redrives,
 * so a letter is re-driven once: one with a marker is already-redriven, one dead-letters
 * does not hold (or that is not a dead letter) is not-found. The copy is partitioned by its
 * key as new records of the key are, not put back on the record's old partition: with a
 * changed partition count that would break what co-partitioned topics rely on. It gets a
 * new timestamp (the letter keeps the first one): agents judge an event's age by it, and
 * would skip an old one as stale.
 *
 * Why two redrives of one letter cannot both publish: every redrive uses the same
 * transactional id, and the markers are read after the producer's initTransactions.
 * initTransactions fences every producer that initialised before it (their open
 * transaction is aborted, their commit fails), and returns only once the id's previous
 * transaction is complete, its commit markers written: so what it commits is visible to a
 * read_committed read of the markers made after it. A marker committed after this redrive's
 * initialisation can only come from a redrive that initialised later, which fenced this
 * one, whose commit then fails. So a re-read of the markers just before the commit would
 * find nothing the read after initialisation missed; what it takes is a read after every
 * new initialisation. A fenced redrive (another one started) or an ambiguous commit gets a
 * new producer, reads the markers again, and goes on: a letter whose marker is there now is
 * already-redriven (or redriven, if the marker is the one this redrive was committing).
 * Redrives of different letters fence each other too: each retries after a pause, at most
 * MAX_ATTEMPTS times per letter, then throws DEAD_LETTER_REDRIVE_FAILED.
 */
export async function redriveDeadLetters(
  connection: KafkaConnection,
  registry: EventRegistry,
  ids: readonly string[],
  options: RedriveOptions,
): Promise<RedriveResult[]> {
  const positions = ids.map(parseDeadLetterId);
  // Initialising would fence a redrive running elsewhere for nothing.
  if (positions.length === 0) return [];
  const clock = options.clock ?? Date.now;
  const letters = new Map(
    (await readDeadLettersAt(connection, registry, positions)).letters.map((stored) => [
      stored.id,
      stored,
    ]),
  );
  const kafka = createKafka(connection);
  const connect = () =>
    connectTransactionalProducer({
      kafka,
      transactionalId: registry.physicalId(REDRIVE_TRANSACTIONAL_ID),
      transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
      maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
    });
  let producer = await connect();
  const results: RedriveResult[] = [];
  try {
    let redrives = await readRedrives(connection, registry);
    for (const position of positions) {
      const id = deadLetterId(position);
      const stored = letters.get(id);
      if (!stored) {
        results.push({ id, status: 'not-found' });
        continue;
      }
      const at = clock();
      for (let attempt = 1; ; attempt += 1) {
        const done = redrives.get(id);
        if (done) {
          const ours = done.at === at && done.by === options.by;
          results.push({ id, status: ours ? 'redriven' : 'already-redriven', redrive: done });
          break;
        }
        try {
          const redrive = await publish(producer, registry, stored, { by: options.by, at });
          redrives.set(id, redrive);
          results.push({ id, status: 'redriven', redrive });
          break;
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS)
            throw new CliError(
              'DEAD_LETTER_REDRIVE_FAILED',
              `could not re-drive ${id} in ${MAX_ATTEMPTS} attempts (another redrive running all along fences this one): ${(error as Error).message}`,
              { cause: error, details: { id, done: results } },
            );
          const recovered = await recoverProducer(producer, error, async () => {
            // Let the redrive that fenced this one finish before fencing it in turn.
            await delay(100 * attempt + Math.random() * 400);
            return connect();
          });
          producer = recovered.producer;
          if (recovered.recreated) redrives = await readRedrives(connection, registry);
        }
      }
    }
    return results;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** One letter's transaction: its record back on the source topic, then its marker; committed. */
async function publish(
  producer: Producer,
  registry: EventRegistry,
  stored: StoredDeadLetter,
  redrive: { readonly by: string; readonly at: number },
): Promise<Redrive> {
  const { letter } = stored;
  await producer.transaction();
  const [copy] = await producer.send({
    topic: registry.physicalTopic(letter.source_topic),
    messages: [
      {
        key: letter.key,
        value: letter.value,
        headers: { ...letter.headers, [REDRIVEN_FROM_HEADER]: stored.id },
      },
    ],
  });
  const marker: DeadLetterRedrive = {
    dead_letter_id: stored.id,
    source_topic: letter.source_topic,
    source_partition: letter.source_partition,
    source_offset: letter.source_offset,
    redriven_partition: copy?.partition ?? -1,
    redriven_offset: Number(copy?.baseOffset ?? copy?.offset ?? -1),
    redriven_by: redrive.by,
    redriven_at: redrive.at,
  };
  // The marker follows the letter's workflow, so its timeline shows the redrive.
  const context = contextFromHeaders(letter.headers) ?? {
    workflowId: letter.headers[HEADER.workflowId]?.toString('utf8') ?? 'unknown',
  };
  const record = encodeRecord(
    registry,
    REDRIVE_PRODUCER,
    DEFAULT_MAX_RECORD_BYTES,
    REDRIVE_TOPIC,
    stored.id,
    marker,
    context,
  );
  await producer.send({
    topic: record.topic,
    messages: [{ key: record.key, value: record.value, headers: record.headers }],
  });
  await producer.commit();
  return redriveOf(marker);
}
