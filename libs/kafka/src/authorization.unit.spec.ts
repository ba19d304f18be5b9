import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notAuthorized, refusalLogger, refusalOf } from './authorization.ts';
import { KafkaError } from './errors.ts';

describe('authorization refusals', () => {
  it("knows Kafka's four refusals by code, and by librdkafka's words when only text is left", () => {
    assert.deepEqual(refusalOf({ code: 29 }), {
      resource: 'topic',
      kafkaCode: 'TOPIC_AUTHORIZATION_FAILED',
    });
    assert.equal(refusalOf({ code: 53 })?.resource, 'transactionalId');
    assert.equal(refusalOf(new Error('Broker: Group authorization failed'))?.resource, 'group');
    assert.equal(refusalOf(new Error('Broker: Cluster authorization failed'))?.resource, 'cluster');
    assert.equal(refusalOf(new Error('Local: Broker transport failure')), undefined);
    assert.equal(refusalOf({ code: 3 }), undefined);
  });

  it("names the user, what it may not do, Kafka's code and where the ACLs come from", () => {
    const error = notAuthorized({ code: 30 }, 'User:paxfleet-seo', 'join consumer group g');
    assert.ok(error instanceof KafkaError);
    assert.equal(error.code, 'KAFKA_NOT_AUTHORIZED');
    assert.equal(
      error.message,
      "KAFKA_NOT_AUTHORIZED: User:paxfleet-seo may not join consumer group g: the broker's ACLs refuse it (GROUP_AUTHORIZATION_FAILED)",
    );
    assert.match(String(error.details.fix), /schemas\/topics\.json/);
    assert.equal(notAuthorized(new Error('timed out'), 'User:x', 'read t'), undefined);
  });

  it("turns the consumer's retried refusal lines into one error, and passes other lines on", () => {
    const refused: KafkaError[] = [];
    const logged: string[] = [];
    const logger = refusalLogger(
      { error: (message) => logged.push(message) },
      'User:paxfleet-seo',
      'join consumer group g',
      (error) => refused.push(error),
    );
    const line =
      'Consumer encountered error while consuming. Retrying. Error details: KafkaJSProtocolError: Broker: Group authorization failed';
    logger.error(line);
    logger.error(line);
    logger.error('Local: All broker connections are down');
    assert.equal(refused.length, 1, 'one error however often the client retries');
    assert.deepEqual(logged, ['kafka client: Local: All broker connections are down']);
  });
});
