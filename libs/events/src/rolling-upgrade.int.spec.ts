import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Kafka } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { EventCodec } from './codec.ts';
import type { ResearchEvent } from './generated/events.ts';
import { isolatedTopics } from './testing.ts';

const kafka: Kafka = testKafka('rolling-upgrade-test');
const topics = isolatedTopics(['research-events']);
const topic = topics.names['research-events'];
const schemas = topics.registry.schemas;
const v1 = new EventCodec<Omit<ResearchEvent, 'summary' | 'body'>>(schemas, 'research-event', 1);
const v2 = new EventCodec<Omit<ResearchEvent, 'body'>>(schemas, 'research-event', 2);

function event(id: string): Omit<ResearchEvent, 'summary' | 'body'> {
  return {
    event_id: id,
    event_type: 'analysis_complete',
    workflow_id: `workflow_${id}`,
    topic: 'agent-tracing',
    output_path: `file:///research/${id}.md`,
    timestamp: Date.now(),
  };
}

async function readWith<T>(
  codec: EventCodec<T>,
  expected: number,
): Promise<{ value: T; writerVersion: number }[]> {
  const decoded: { value: T; writerVersion: number }[] = [];
  const consumer = kafka.consumer({
    'group.id': uniqueName('upgrade-reader'),
    'auto.offset.reset': 'earliest',
  });
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({
    eachMessage: ({ message }) => {
      decoded.push(codec.decode(message.value as Buffer));
      return Promise.resolve();
    },
  });
  await eventually(
    () => decoded.length,
    (count) => count >= expected,
  );
  await consumer.disconnect();
  return decoded;
}

describe('rolling upgrade of research-event from v1 to v2 on the real broker', () => {
  before(async () => {
    await topics.create(kafka);
    const producer = kafka.producer({ 'enable.idempotence': true });
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: 'agent-tracing', value: v1.encode(event('old')) }],
    });
    await producer.send({
      topic,
      messages: [
        {
          key: 'agent-tracing',
          value: v2.encode({ ...event('new'), summary: 'Tracing beats logging' }),
        },
      ],
    });
    await producer.disconnect();
  });

  it('an upgraded (v2) consumer reads both the v1 and the v2 producer', async () => {
    const decoded = await readWith(v2, 2);
    assert.deepEqual(
      decoded.map(({ value, writerVersion }) => [value.event_id, writerVersion, value.summary]),
      [
        ['old', 1, null],
        ['new', 2, 'Tracing beats logging'],
      ],
    );
  });

  it('a not-yet-upgraded (v1) consumer reads both, ignoring the new field', async () => {
    const decoded = await readWith(v1, 2);
    assert.deepEqual(
      decoded.map(({ value, writerVersion }) => [
        value.event_id,
        writerVersion,
        'summary' in value,
      ]),
      [
        ['old', 1, false],
        ['new', 2, false],
      ],
    );
  });
});
