import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaError, type KafkaMessage } from '@paxfleet/kafka';
import { EventsError } from './errors.ts';
import { collectingOutbox, deadLetterRecord, silentLogger } from './input-records.ts';
import { encodeRecord } from './records.ts';
import { EventRegistry, eventRegistry } from './registry.ts';

const task = {
  task_id: 't1',
  workflow_id: 'workflow_7k2p',
  topic: 'agent-observability',
  brief: '',
  requested_by: 'test',
  requested_at: 1,
};

describe('the registry in a Kafka namespace', () => {
  const shadow = eventRegistry({ namespace: 'replay-7k2p' });

  it('maps the catalog’s topics to the cluster’s and back, and ids the same way', () => {
    assert.equal(shadow.namespace, 'replay-7k2p');
    assert.equal(shadow.physicalTopic('research-events'), 'replay-7k2p.research-events');
    assert.equal(shadow.logicalTopic('replay-7k2p.research-events'), 'research-events');
    assert.equal(shadow.physicalId('paxfleet-research'), 'replay-7k2p.paxfleet-research');
    for (const { name } of shadow.catalog.topics)
      assert.equal(shadow.logicalTopic(shadow.physicalTopic(name)), name);
  });

  it('refuses a topic outside the namespace: a live topic is never taken for its own', () => {
    for (const live of [
      'research-events',
      'replay-7k2pX.research-events',
      'other.research-events',
    ]) {
      assert.throws(
        () => shadow.logicalTopic(live),
        (error: unknown) => error instanceof EventsError && error.code === 'TOPIC_NOT_IN_NAMESPACE',
        live,
      );
    }
  });

  it('without a namespace is the live fleet: every name as the catalog has it', () => {
    const live = eventRegistry();
    assert.equal(live.namespace, undefined);
    assert.equal(live.physicalTopic('research-events'), 'research-events');
    assert.equal(live.logicalTopic('research-events'), 'research-events');
    assert.equal(live.physicalId('paxfleet-research-0'), 'paxfleet-research-0');
    assert.equal(live.inNamespace(undefined).physicalTopic('dead-letters'), 'dead-letters');
  });

  it('is one registry per namespace, sharing the schemas and the catalog', () => {
    assert.equal(eventRegistry({ namespace: 'replay-7k2p' }), shadow);
    assert.notEqual(eventRegistry({ namespace: 'other' }), shadow);
    assert.equal(shadow.catalog, eventRegistry().catalog);
    assert.equal(shadow.schemas, eventRegistry().schemas);
    assert.equal(eventRegistry({}), eventRegistry());
  });

  it('refuses a name that is no namespace', () => {
    assert.throws(
      () => new EventRegistry(undefined, undefined, { namespace: 'a.b' }),
      (error: unknown) => error instanceof KafkaError && error.code === 'KAFKA_NAMESPACE_INVALID',
    );
  });

  it('sends records to the namespace’s topics; what they say stays in the catalog’s names', () => {
    const record = encodeRecord(shadow, 'coordinator', 1_000_000, 'research-tasks', 'k', task, {
      workflowId: task.workflow_id,
    });
    assert.equal(record.topic, 'replay-7k2p.research-tasks');
    const live = encodeRecord(
      eventRegistry(),
      'coordinator',
      1_000_000,
      'research-tasks',
      'k',
      task,
      {
        workflowId: task.workflow_id,
      },
    );
    assert.equal(live.topic, 'research-tasks');
    assert.deepEqual(record.value, live.value, 'the same bytes in either');

    const codecs = {
      registry: shadow,
      agent: 'research',
      maxRecordBytes: 1_000_000,
      clock: () => 5,
      logger: silentLogger,
    };
    const { outbox, outputs } = collectingOutbox(codecs);
    outbox.send(
      'agent-activity',
      'workflow_7k2p',
      {
        agent: 'research',
        workflow_id: 'workflow_7k2p',
        outcome: 'processed',
        reason: '',
        event_type: 'research-task',
        work_key: null,
        source_topic: 'research-tasks',
        source_partition: 0,
        source_offset: 3,
        source_timestamp: 1,
        lag_ms: 0,
        recorded_at: 5,
      },
      { workflowId: 'workflow_7k2p' },
    );
    assert.deepEqual(
      outputs.map((output) => output.topic),
      ['replay-7k2p.agent-activity'],
    );

    const message = {
      key: Buffer.from('k'),
      value: Buffer.from('not avro'),
      offset: '3',
      timestamp: '1',
      headers: {},
    } as unknown as KafkaMessage;
    const dead = deadLetterRecord(codecs, 'research-tasks', 0, message, new Error('bad'), 1);
    assert.equal(dead.topic, 'replay-7k2p.dead-letters');
    assert.equal(dead.key, 'research-tasks');
    const letter = shadow.codecForTopic('dead-letters').decode(dead.value).value;
    assert.equal(letter.source_topic, 'research-tasks');
  });
});
