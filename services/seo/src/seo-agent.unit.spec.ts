import { silentLogger } from '@paxfleet/service';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Work } from '@paxfleet/agent-kit';
import { Bodies, type ContentResult, type EventContext, type TopicName } from '@paxfleet/events';
import { MemoryBlobStore } from '@paxfleet/events/testing';
import { OfflineModelProvider, type ModelProvider } from '@paxfleet/models';
import { seoAgent } from './seo-agent.ts';

interface Sent {
  readonly topic: TopicName;
  readonly key: string;
  readonly value: unknown;
  readonly context: EventContext;
}

const context: EventContext = {
  workflowId: 'workflow_7k2p',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

const result: ContentResult = {
  result_id: 'result-1',
  work_key: 'content:agent-tracing',
  workflow_id: 'workflow_7k2p',
  agent: 'marketing',
  format: 'blog_post',
  topic: 'agent-tracing',
  title: 'Agent Tracing: a blog post',
  summary: 'Agent tracing follows every step an AI agent takes, so teams see what went wrong.',
  body_ref: 'file:///blobs/content/blog_post/agent-tracing.md',
  body_bytes: 0,
  epoch: 1,
  produced_at: 1_000,
  body: null,
};

function fakeWork(
  blobs: Record<string, string>,
  model: ModelProvider = new OfflineModelProvider(),
) {
  const sent: Sent[] = [];
  const steps: string[] = [];
  const work: Work<'content-results'> = {
    record: {
      topic: 'content-results',
      partition: 0,
      offset: 7,
      timestamp: 1_000,
      key: result.work_key,
      value: result,
      writerVersion: 1,
      headers: {},
      context,
    },
    outbox: {
      send: (topic, key, value, ctx) => void sent.push({ topic, key, value, context: ctx }),
    },
    logger: silentLogger,
    model,
    bodies: new Bodies({ store: new MemoryBlobStore(blobs), inlineMaxBytes: 65_536 }),
    clock: () => 5_000,
    progress: (step, total, status) => {
      steps.push(`${status} (step ${step}/${total})`);
      return Promise.resolve();
    },
    claim: () => Promise.reject(new Error('seo takes no claims')),
    completeClaim: () => Promise.reject(new Error('seo takes no claims')),
  };
  return { work, sent, steps };
}

const body = [
  '# Agent Tracing',
  '',
  'Agent tracing shows each step an agent takes. Tracing spans connect the steps.',
  '',
  '## Why tracing',
  '',
  'Teams find slow steps and failed tool calls with tracing.',
].join('\n');

describe('seoAgent', () => {
  const agent = seoAgent({ name: 'seo', maxEventAgeMs: 86_400_000, newId: () => 'report-1' });

  it('consumes content-results and skips content older than its limit', () => {
    assert.deepEqual(agent.consumes, ['content-results']);
    assert.deepEqual(agent.stalePolicy, { kind: 'skip' });
    assert.equal(agent.maxEventAgeMs, 86_400_000);
  });

  it('publishes one report under the work key, in the workflow, after three progress steps', async () => {
    const { work, sent, steps } = fakeWork({ [result.body_ref]: body });
    const outcome = await agent.handle(work);
    assert.deepEqual(outcome, { outcome: 'processed', workKey: 'content:agent-tracing' });
    assert.deepEqual(steps, [
      'Reading content (step 1/3)',
      'Scoring SEO (step 2/3)',
      'Publishing report (step 3/3)',
    ]);
    assert.equal(sent.length, 1);
    const [report] = sent;
    assert.equal(report?.topic, 'seo-reports');
    assert.equal(report?.key, 'content:agent-tracing');
    assert.equal(report?.context, context);
    const value = report?.value as Record<string, unknown>;
    assert.equal(value.report_id, 'report-1');
    assert.equal(value.result_id, 'result-1');
    assert.equal(value.workflow_id, 'workflow_7k2p');
    assert.equal(value.format, 'blog_post');
    assert.equal(value.produced_at, 5_000);
    assert.deepEqual((value.keywords as string[]).slice(0, 2), ['tracing', 'agent']);
    assert.ok(typeof value.score === 'number' && value.score > 0 && value.score < 100);
    assert.ok(
      (value.recommendations as string[]).includes('Title is 26 characters; aim for 30 to 60'),
    );
  });

  it('gives the same report for the same content', async () => {
    const first = fakeWork({ [result.body_ref]: body });
    const second = fakeWork({ [result.body_ref]: body });
    await agent.handle(first.work);
    await agent.handle(second.work);
    assert.deepEqual(first.sent[0]?.value, second.sent[0]?.value);
  });

  it('scores a body that rides inline in the event without touching the blob store', async () => {
    const inline = fakeWork({});
    const withRef = fakeWork({ [result.body_ref]: body });
    const value = { ...result, body_ref: '', body };
    await agent.handle({ ...inline.work, record: { ...inline.work.record, value } });
    await agent.handle(withRef.work);
    const score = (sent: Sent[]) => (sent[0]?.value as { score?: number } | undefined)?.score;
    assert.ok(score(inline.sent) !== undefined);
    assert.equal(score(inline.sent), score(withRef.sent));
  });

  it('fails the event, saying why, when the body cannot be read', async () => {
    const { work, sent } = fakeWork({});
    const outcome = await agent.handle(work);
    assert.equal(outcome.outcome, 'failed');
    assert.equal(outcome.workKey, 'content:agent-tracing');
    assert.equal(
      outcome.reason,
      `content unreadable: BLOB_NOT_FOUND: no blob at ${result.body_ref}`,
    );
    assert.deepEqual(sent, []);
  });

  it('publishes the computed advice when the model fails', async () => {
    const broken: ModelProvider = {
      name: 'openai',
      complete: () => Promise.reject(new Error('unreachable')),
    };
    const { work, sent } = fakeWork({ [result.body_ref]: body }, broken);
    assert.equal((await agent.handle(work)).outcome, 'processed');
    const plain = fakeWork({ [result.body_ref]: body });
    await agent.handle(plain.work);
    assert.deepEqual(sent[0]?.value, plain.sent[0]?.value);
  });
});
