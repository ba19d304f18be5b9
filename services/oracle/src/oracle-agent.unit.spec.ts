import { silentLogger } from '@paxfleet/service';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StalenessGuard, type Work } from '@paxfleet/agent-kit';
import {
  Bodies,
  type ContentResult,
  type EventContext,
  type InputRecord,
  type ResearchEvent,
  type TopicName,
} from '@paxfleet/events';
import { MemoryBlobStore } from '@paxfleet/events/testing';
import { ModelError, OfflineModelProvider } from '@paxfleet/models';
import { LocalKeywordRecommender, type KeywordSource } from './keywords.ts';
import { NewestEvents, oracleAgent, type OracleTopic } from './oracle-agent.ts';

const minute = 60_000;
const hour = 60 * minute;
const maxEventAgeMs = 10 * minute;

const context: EventContext = { workflowId: 'workflow_7k2p' };

function researchEvent(
  topic: string,
  at: number,
  overrides: Partial<ResearchEvent> = {},
): ResearchEvent {
  return {
    event_id: `research-${topic}-${at}`,
    event_type: 'analysis_complete',
    workflow_id: 'workflow_7k2p',
    topic,
    output_path: `file:///blobs/research/${topic}-${at}.md`,
    timestamp: at,
    summary: `Analysis of ${topic}.`,
    body: null,
    ...overrides,
  };
}

function researchRecord(
  value: ResearchEvent,
  partition: number,
  offset: number,
): InputRecord<OracleTopic> {
  return {
    topic: 'research-events',
    partition,
    offset,
    timestamp: value.timestamp,
    key: value.topic,
    value,
    writerVersion: 2,
    headers: { 'event-type': value.event_type },
    context,
  };
}

function contentRecord(
  value: ContentResult,
  partition: number,
  offset: number,
): InputRecord<OracleTopic> {
  return {
    topic: 'content-results',
    partition,
    offset,
    timestamp: value.produced_at,
    key: value.work_key,
    value,
    writerVersion: 1,
    headers: {},
    context,
  };
}

function contentResult(topic: string, at: number): ContentResult {
  return {
    result_id: `result-${topic}-${at}`,
    work_key: `content:${topic}`,
    workflow_id: 'workflow_7k2p',
    agent: 'marketing',
    format: 'blog_post',
    topic,
    title: `${topic}: a blog post`,
    summary: '',
    body_ref: `file:///blobs/content/${topic}-${at}.md`,
    body_bytes: 0,
    epoch: 1,
    produced_at: at,
    body: null,
  };
}

interface Sent {
  readonly topic: TopicName;
  readonly key: string;
  readonly value: Record<string, unknown>;
}

function fakeWork(record: InputRecord<OracleTopic>, blobs: Record<string, string>, now: number) {
  const sent: Sent[] = [];
  const steps: string[] = [];
  const work: Work<OracleTopic> = {
    record,
    outbox: {
      send: (topic, key, value) =>
        void sent.push({ topic, key, value: value as unknown as Record<string, unknown> }),
    },
    logger: silentLogger,
    model: new OfflineModelProvider(),
    bodies: new Bodies({ store: new MemoryBlobStore(blobs), inlineMaxBytes: 65_536 }),
    clock: () => now,
    progress: (step, total, status) => {
      steps.push(`${status} (step ${step}/${total})`);
      return Promise.resolve();
    },
    claim: () => Promise.reject(new Error('the oracle takes no claims')),
    completeClaim: () => Promise.reject(new Error('the oracle takes no claims')),
  };
  return { work, sent, steps };
}

const kubernetesResearch = [
  '# Research: kubernetes',
  'Kubernetes observability needs metrics from every pod. Kubernetes observability dashboards show pods.',
  'Operators want kubernetes observability without cost surprises.',
].join('\n');
const tracingResearch = [
  '# Research: agent tracing',
  'Agent tracing records every step. Agent tracing shows spans and latency. Spans carry context.',
].join('\n');

let ids = 0;
const newId = () => `finding-${++ids}`;

describe('oracleAgent: auditing research', () => {
  it('publishes keyword recommendations for a finished analysis, in three steps', async () => {
    const agent = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: new LocalKeywordRecommender(),
      newId,
    });
    const event = researchEvent('agent-tracing', 14 * hour);
    const { work, sent, steps } = fakeWork(
      researchRecord(event, 1, 5),
      { [event.output_path]: tracingResearch },
      14 * hour + 2000,
    );
    const outcome = await agent.handle(work);
    assert.deepEqual(outcome, { outcome: 'processed', workKey: 'research:agent-tracing' });
    assert.deepEqual(steps, [
      'Reading research (step 1/3)',
      'Ranking keywords (local) (step 2/3)',
      'Publishing findings (step 3/3)',
    ]);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.topic, 'audit-findings');
    assert.equal(sent[0]?.key, 'research:agent-tracing');
    const finding = sent[0]?.value;
    assert.equal(finding?.subject, 'research');
    assert.equal(finding?.source_event_id, event.event_id);
    assert.equal(finding?.workflow_id, 'workflow_7k2p');
    assert.equal(finding?.source_age_ms, 2000);
    assert.equal(finding?.severity, 'info');
    assert.deepEqual((finding?.keywords as string[]).slice(0, 2), ['agent tracing', 'spans']);
  });

  it('skips research events other than analysis_complete, and fails on unreadable research', async () => {
    const agent = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: new LocalKeywordRecommender(),
      newId,
    });
    const started = researchEvent('agent-tracing', 0, { event_type: 'analysis_started' });
    const skipped = await agent.handle(fakeWork(researchRecord(started, 0, 0), {}, 1).work);
    assert.deepEqual(skipped, {
      outcome: 'skipped',
      reason: 'analysis_started is not audited',
      workKey: 'research:agent-tracing',
    });
    const missing = researchEvent('agent-tracing', 0);
    const { work, sent } = fakeWork(researchRecord(missing, 0, 1), {}, 1);
    const failed = await agent.handle(work);
    assert.equal(failed.outcome, 'failed');
    assert.equal(
      failed.reason,
      `research unreadable: BLOB_NOT_FOUND: no blob at ${missing.output_path}`,
    );
    assert.deepEqual(sent, []);
  });

  it('lets a rate-limited API hold the event (the processor retries) but fails one the API refuses', async () => {
    const failing = (error: Error): KeywordSource => ({
      name: 'api',
      keywords: () => Promise.reject(error),
    });
    const event = researchEvent('agent-tracing', 0);
    const blobs = { [event.output_path]: tracingResearch };
    const limited = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: failing(new ModelError('MODEL_RATE_LIMITED', 'slow down')),
    });
    await assert.rejects(
      limited.handle(fakeWork(researchRecord(event, 0, 0), blobs, 1).work),
      /MODEL_RATE_LIMITED/,
    );
    const refused = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: failing(new ModelError('MODEL_BAD_REQUEST', 'text too long')),
    });
    const outcome = await refused.handle(fakeWork(researchRecord(event, 0, 0), blobs, 1).work);
    assert.deepEqual(outcome, {
      outcome: 'failed',
      reason: 'keyword API: MODEL_BAD_REQUEST: text too long',
      workKey: 'research:agent-tracing',
    });
  });
});

describe('oracleAgent: auditing content', () => {
  it("checks content against the topic's newest research", async () => {
    const newest = new NewestEvents();
    const agent = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: new LocalKeywordRecommender(),
      newest,
      newId,
    });
    const older = researchEvent('kubernetes', 3 * hour);
    const research = researchEvent('kubernetes', 4 * hour);
    newest.observe(researchRecord(older, 2, 10));
    newest.observe(researchRecord(research, 2, 11));
    const result = contentResult('kubernetes', 5 * hour);
    const { work, sent } = fakeWork(
      contentRecord(result, 4, 3),
      {
        [research.output_path]: kubernetesResearch,
        [result.body_ref]:
          '# Kubernetes\n\nPods and operators, and what dashboards show about cost.',
      },
      5 * hour + 1000,
    );
    assert.deepEqual(await agent.handle(work), {
      outcome: 'processed',
      workKey: 'content:kubernetes',
    });
    const finding = sent[0]?.value;
    assert.equal(sent[0]?.key, 'content:kubernetes');
    assert.equal(finding?.subject, 'content');
    assert.equal(finding?.source_event_id, result.result_id);
    assert.equal(finding?.severity, 'critical');
    assert.equal((finding?.keywords as string[])[0], 'kubernetes observability');
    assert.ok(
      (finding?.findings as string[]).includes(
        "Content mentions 'kubernetes observability' 0 times although research ranks it first",
      ),
    );
  });

  it('warns when no research on the topic has been seen, recommending keywords from the content', async () => {
    const agent = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: new LocalKeywordRecommender(),
      newId,
    });
    const result = contentResult('agent-tracing', 0);
    const { work, sent } = fakeWork(
      contentRecord(result, 0, 0),
      { [result.body_ref]: tracingResearch },
      1,
    );
    assert.equal((await agent.handle(work)).outcome, 'processed');
    assert.equal(sent[0]?.value.severity, 'warning');
    assert.equal((sent[0]?.value.keywords as string[])[0], 'agent tracing');
  });

  it('fails on unreadable content', async () => {
    const agent = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: new LocalKeywordRecommender(),
    });
    const result = contentResult('agent-tracing', 0);
    const outcome = await agent.handle(fakeWork(contentRecord(result, 0, 0), {}, 1).work);
    assert.equal(outcome.outcome, 'failed');
    assert.match(outcome.reason ?? '', /^content unreadable: BLOB_NOT_FOUND: no blob at/);
  });
});

describe('oracleAgent: the time-travel guard', () => {
  // The article: research on a topic at 03:00 and again at 14:00; the oracle, held up by a
  // rate-limited API, reaches the 03:00 event at 14:15.
  const at0300 = researchEvent('kubernetes', 3 * hour);
  const at1400 = researchEvent('kubernetes', 14 * hour);
  const old = researchRecord(at0300, 2, 41);
  const newer = researchRecord(at1400, 2, 97);
  const now = 14 * hour + 15 * minute;

  function guarded(lookahead?: { caughtUp(): Promise<void> }) {
    const newest = new NewestEvents();
    const agent = oracleAgent({
      name: 'oracle',
      maxEventAgeMs,
      keywords: new LocalKeywordRecommender(),
      newest,
      ...(lookahead && { lookahead }),
    });
    return { newest, agent, guard: new StalenessGuard(agent.maxEventAgeMs, agent.stalePolicy) };
  }

  it('records a superseded old event as stale instead of auditing it', async () => {
    const { newest, agent, guard } = guarded();
    // The log head reader has already seen the 14:00 analysis when the consumer reaches 03:00.
    newest.observe(newer);
    agent.observe?.(old);
    const verdict = await guard.judge(old, now);
    assert.equal(verdict.stale, true);
    assert.equal(verdict.ageMs, 11 * hour + 15 * minute);
    assert.equal(verdict.reason, 'event is 11 h old, over the 10 min limit and superseded');
  });

  it('audits an old event that is still the newest for its topic', async () => {
    const { agent, guard } = guarded();
    agent.observe?.(old);
    const verdict = await guard.judge(old, now);
    assert.equal(verdict.stale, false);
    assert.match(verdict.reason, /but still the latest$/);
    agent.observe?.(newer);
    const fifteenMinutesLate = await guard.judge(newer, now);
    assert.equal(fifteenMinutesLate.stale, false, 'the 14:00 analysis is the newest: audit it');
  });

  it('passes fresh events without asking', async () => {
    let asked = false;
    const { newest, guard } = guarded({
      caughtUp: () => {
        asked = true;
        return Promise.resolve();
      },
    });
    newest.observe(newer);
    const fresh = researchRecord(researchEvent('kubernetes', now - minute), 2, 98);
    assert.equal((await guard.judge(fresh, now)).stale, false);
    assert.equal(asked, false);
  });

  it('tracks content results per work key', async () => {
    const { newest, guard } = guarded();
    const first = contentRecord(contentResult('kubernetes', 3 * hour), 1, 7);
    const second = contentRecord(contentResult('kubernetes', 13 * hour), 1, 8);
    const other = contentRecord(contentResult('agent-tracing', 3 * hour), 1, 9);
    for (const record of [first, second, other]) newest.observe(record);
    assert.equal((await guard.judge(first, now)).stale, true);
    assert.equal((await guard.judge(second, now)).stale, false);
    assert.equal((await guard.judge(other, now)).stale, false);
  });

  it('ignores research events that start no audit when deciding what is newest', async () => {
    const { newest, guard } = guarded();
    newest.observe(
      researchRecord(
        researchEvent('kubernetes', 14 * hour, { event_type: 'analysis_started' }),
        2,
        96,
      ),
    );
    assert.equal(
      (await guard.judge(old, now)).stale,
      false,
      'a started analysis does not replace a finished one',
    );
  });

  it('waits until the log head has been read before judging an old event', async () => {
    let release!: () => void;
    const head = new Promise<void>((resolve) => (release = resolve));
    const { newest, agent, guard } = guarded({ caughtUp: () => head });
    agent.observe?.(old);
    let settled = false;
    const verdict = guard.judge(old, now).then((value) => {
      settled = true;
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    // Meanwhile the reader finds the 14:00 analysis further down the log.
    newest.observe(newer);
    release();
    assert.equal((await verdict).stale, true);
  });
});
