// The dead-letter test's second operator: re-drives the ids given as arguments in the
// namespace KAFKA_NAMESPACE, by REDRIVE_BY, and prints the results as one JSON line.
import { eventRegistry } from '@paxfleet/events';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { redriveDeadLetters } from '../redrive.ts';

const results = await redriveDeadLetters(
  kafkaConnectionFromEnv(process.env, 'redrive-test-process'),
  eventRegistry({ namespace: process.env.KAFKA_NAMESPACE as string }),
  process.argv.slice(2),
  { by: process.env.REDRIVE_BY as string },
);
console.log(JSON.stringify(results));
