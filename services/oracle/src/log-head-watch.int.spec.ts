import { silentLogger } from '@paxfleet/service';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventProducer, type ContentResult, type ResearchEvent } from '@paxfleet/events';
import { isolatedTopics } from '@paxfleet/events/testing';
import { kafkaConnectionFromEnv } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName } from '@paxfleet/kafka/testing';
import { LogHeadWatch } from './log-head-watch.ts';
import { NewestEvents, type AuditedEvent } from './oracle-agent.ts';

const kafka = testKafka('oracle-log-head-test');

function research(topic: string, id: string): ResearchEvent {
  return {
    event_id: id,
    event_type: 'analysis_complete',
    workflow_id: `workflow_${id}`,
    topic,
    output_path: `file:///blobs/research/${id}.md`,
    timestamp: Date.now(),
    summary: null,
    body: null,
  };
}

function result(topic: string, id: string): ContentResult {
  return {
    result_id: id,
    work_key: `content:${topic}`,
    workflow_id: `workflow_${id}`,
    agent: 'marketing',
    format: 'blog_post',
    topic,
    title: topic,
    summary: '',
    body_ref: `file:///blobs/content/${id}.md`,
    body_bytes: 0,
    epoch: 1,
    produced_at: Date.now(),
    body: null,
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref(),
    ),
  ]);
}

describe('LogHeadWatch on a real broker', () => {
  const topics = isolatedTopics(['research-events', 'content-results']);
  const producer = new EventProducer({ kafka, registry: topics.registry, agent: 'oracle-test' });
  const watches: LogHeadWatch[] = [];

  function watch(names = topics.names) {
    const newest = new NewestEvents();
    const seen: AuditedEvent[] = [];
    const instance = new LogHeadWatch({
      connection: kafkaConnectionFromEnv(process.env, uniqueName('oracle-log-head')),
      registry: topics.registry,
      topics: names,
      onEvent: (event) => {
        seen.push(event);
        newest.observe(event);
      },
      logger: silentLogger,
      retryDelayMs: 200,
    });
    watches.push(instance);
    return { instance, newest, seen };
  }

  before(async () => {
    await topics.create(kafka);
    await producer.connect();
  });

  after(async () => {
    for (const instance of watches) await instance.close().catch(() => {});
    await producer.disconnect();
  });

  it('reads what is already on the log, then follows new events', async () => {
    const context = { workflowId: 'workflow_log_head' };
    const names = topics.names;
    await producer.send(
      names['research-events'],
      'kubernetes',
      research('kubernetes', 'k-0300'),
      context,
    );
    await producer.send(
      names['research-events'],
      'agent-tracing',
      research('agent-tracing', 't-1'),
      context,
    );
    await producer.send(
      names['research-events'],
      'kubernetes',
      research('kubernetes', 'k-1400'),
      context,
    );
    await producer.send(
      names['content-results'],
      'content:kubernetes',
      result('kubernetes', 'r-1'),
      context,
    );

    const { instance, newest, seen } = watch();
    instance.start();
    await within(instance.caughtUp(), 30_000, 'catching up');
    assert.equal(instance.isCaughtUp, true);
    assert.equal(newest.latestResearch('kubernetes')?.event_id, 'k-1400');
    assert.equal(newest.latestResearch('agent-tracing')?.event_id, 't-1');
    const early = seen.find(
      (event) => event.topic === 'research-events' && event.value.event_id === 'k-0300',
    );
    assert.ok(early, 'the 03:00 analysis was read');
    assert.equal(newest.isNewest(early), false, 'the 03:00 analysis is superseded');
    assert.ok(
      seen.some((event) => event.topic === 'content-results' && event.value.result_id === 'r-1'),
    );

    await producer.send(
      names['research-events'],
      'kubernetes',
      research('kubernetes', 'k-1500'),
      context,
    );
    const latest = await eventually(
      () => newest.latestResearch('kubernetes')?.event_id,
      (id) => id === 'k-1500',
      { timeoutMs: 15_000 },
    );
    assert.equal(latest, 'k-1500');
  });

  it('retries until its topics exist, and fails waiters when closed first', async () => {
    const late = isolatedTopics(['research-events', 'content-results']);
    const { instance, newest } = watch(late.names);
    instance.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(instance.isCaughtUp, false);
    await late.create(kafka);
    await within(instance.caughtUp(), 30_000, 'catching up after the topics appeared');
    assert.equal(newest.latestResearch('kubernetes'), undefined);

    const never = isolatedTopics(['research-events', 'content-results']);
    const closed = watch(never.names).instance;
    closed.start();
    const waiting = closed.caughtUp();
    await closed.close();
    await assert.rejects(waiting, /closed before it caught up/);
  });
});
