import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@paxfleet/core';
import { kafkaConfig } from './connection.ts';
import { KafkaError } from './errors.ts';
import { checkNamespace, namespaced, withoutNamespace } from './namespace.ts';

describe('Kafka namespaces', () => {
  it('put a name in the namespace, and leave it as it is without one', () => {
    assert.equal(namespaced('replay-7k2p', 'research-events'), 'replay-7k2p.research-events');
    assert.equal(
      namespaced('replay-7k2p', 'paxfleet-research-pod-0'),
      'replay-7k2p.paxfleet-research-pod-0',
    );
    assert.equal(namespaced(undefined, 'research-events'), 'research-events');
  });

  it('take a name on the cluster back out of the namespace, and know one outside it', () => {
    assert.equal(withoutNamespace('replay', 'replay.research-events'), 'research-events');
    assert.equal(withoutNamespace('replay', 'research-events'), undefined);
    assert.equal(withoutNamespace('replay', 'replay-2.research-events'), undefined);
    assert.equal(withoutNamespace('replay', 'replay.'), undefined);
    assert.equal(withoutNamespace(undefined, 'research-events'), 'research-events');
    for (const name of ['research-events', 'paxfleet-coordinator-0'])
      assert.equal(withoutNamespace('n1', namespaced('n1', name)), name);
  });

  it('are letters, digits, _ and -: no dot (namespaces never nest), nothing Kafka would refuse', () => {
    for (const good of ['replay', 'replay-7k2p9x0q', 'Shadow_2', '0', 'a'.repeat(64)])
      assert.equal(checkNamespace(good), good);
    for (const bad of [
      '',
      'a.b',
      '.',
      '..',
      '-replay',
      '_replay',
      'a b',
      'ré',
      'a/b',
      'a'.repeat(65),
    ]) {
      assert.throws(
        () => checkNamespace(bad),
        (error: unknown) => error instanceof KafkaError && error.code === 'KAFKA_NAMESPACE_INVALID',
        bad,
      );
    }
  });

  it('come from KAFKA_NAMESPACE, optional and checked like any setting', () => {
    const brokers = { KAFKA_BROKERS: '127.0.0.1:9092' };
    assert.equal(loadConfig(kafkaConfig, brokers).KAFKA_NAMESPACE, undefined);
    assert.equal(
      loadConfig(kafkaConfig, { ...brokers, KAFKA_NAMESPACE: 'replay-1' }).KAFKA_NAMESPACE,
      'replay-1',
    );
    assert.throws(
      () => loadConfig(kafkaConfig, { ...brokers, KAFKA_NAMESPACE: 'replay.1' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.details.variable === 'KAFKA_NAMESPACE' &&
        /KAFKA_NAMESPACE must be letters, digits/.test(error.message),
    );
  });
});
