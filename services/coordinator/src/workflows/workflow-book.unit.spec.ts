import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventRegistry, HEADER, type TopicRecord, type TopicValues } from '@paxfleet/events';
import { WorkflowBook, type WorkflowTopic } from './workflow-book.ts';

const catalog = eventRegistry().catalog;
const T0 = Date.parse('2026-11-24T10:00:00Z');
let offset = 0;

function record<K extends WorkflowTopic | 'content-claims'>(
  topic: K,
  value: TopicValues[K],
  workflowId: string,
  options: { producer?: string; at?: number } = {},
): TopicRecord<K> {
  return {
    topic,
    partition: 0,
    offset: offset++,
    timestamp: options.at ?? T0,
    key: null,
    headers: {
      [HEADER.workflowId]: Buffer.from(workflowId),
      ...(options.producer && { [HEADER.producer]: Buffer.from(options.producer) }),
    },
    value,
  };
}

const activity = (agent: string, outcome: 'processed' | 'skipped', eventType: string) =>
  record(
    'agent-activity',
    {
      agent,
      workflow_id: 'workflow_1',
      outcome,
      reason: outcome === 'skipped' ? 'already claimed by marketing' : '',
      event_type: eventType,
      work_key: 'content:kafka',
      source_topic: 'research-events',
      source_partition: 0,
      source_offset: 1,
      source_timestamp: T0,
      lag_ms: 5,
      recorded_at: T0,
    },
    'workflow_1',
  );

function book(now = T0 + 1000, maxWorkflows = 10) {
  return new WorkflowBook({ catalog, windowMs: 3_600_000, maxWorkflows, clock: () => now });
}

describe('WorkflowBook', () => {
  it('follows one workflow from task to SEO, and says what it waits for until done', () => {
    const workflows = book();
    const writers = catalog.agents.filter((agent) => agent.format).map((agent) => agent.name);
    workflows.observe(
      record(
        'research-tasks',
        {
          task_id: 't1',
          workflow_id: 'workflow_1',
          topic: 'kafka',
          brief: '',
          requested_by: 'cli',
          requested_at: T0,
        },
        'workflow_1',
      ),
    );
    assert.deepEqual(workflows.get('workflow_1')?.waiting_for, ['research', ...writers]);
    assert.equal(workflows.get('workflow_1')?.research.state, 'pending');

    workflows.observe(
      record(
        'research-events',
        {
          event_id: 'e1',
          event_type: 'analysis_complete',
          workflow_id: 'workflow_1',
          topic: 'kafka',
          output_path: '',
          timestamp: T0 + 100,
          summary: null,
          body: 'analysis',
        },
        'workflow_1',
        { producer: 'research' },
      ),
    );
    // A skip of analysis_started is no outcome for the analysis.
    workflows.observe(activity('sales', 'skipped', 'analysis_started'));
    for (const writer of writers)
      workflows.observe(
        activity(writer, writer === 'marketing' ? 'processed' : 'skipped', 'analysis_complete'),
      );
    // A denial carries the key's holder's workflow in its value; the header names the asker's.
    workflows.claim(
      record(
        'content-claims',
        {
          work_key: 'content:kafka',
          state: 'held',
          holder: 'marketing',
          epoch: 1,
          lease_expires_at: T0 + 30_000,
          decision: 'granted',
          request_id: 'r1',
          requester: 'marketing',
          reason: 'free',
          workflow_id: 'workflow_1',
          format: 'blog_post',
          decided_at: T0 + 200,
          subject: 'kafka',
          overlap: null,
        },
        'workflow_1',
      ),
    );
    workflows.observe(
      record(
        'content-results',
        {
          result_id: 'res1',
          work_key: 'content:kafka',
          workflow_id: 'workflow_1',
          agent: 'marketing',
          format: 'blog_post',
          topic: 'kafka',
          title: 'Kafka',
          summary: '',
          body_ref: '',
          body_bytes: 42,
          epoch: 1,
          produced_at: T0 + 300,
          body: 'text',
        },
        'workflow_1',
      ),
    );
    const waiting = workflows.get('workflow_1');
    assert.equal(waiting?.done, false);
    assert.deepEqual(waiting?.waiting_for, ['seo for res1']);

    workflows.observe(
      record(
        'seo-reports',
        {
          report_id: 's1',
          work_key: 'content:kafka',
          workflow_id: 'workflow_1',
          result_id: 'res1',
          format: 'blog_post',
          keywords: [],
          score: 80,
          recommendations: [],
          produced_at: T0 + 400,
        },
        'workflow_1',
      ),
    );
    const status = workflows.get('workflow_1');
    assert.deepEqual(
      { ...status, skips: status?.skips.length },
      {
        workflow_id: 'workflow_1',
        topic: 'kafka',
        requested_by: 'cli',
        submitted_at: '2026-11-24T10:00:00.000Z',
        research: {
          state: 'complete',
          agent: 'research',
          completed_at: '2026-11-24T10:00:00.100Z',
        },
        claims: [
          {
            work_key: 'content:kafka',
            state: 'held',
            holder: 'marketing',
            epoch: 1,
            decided_at: '2026-11-24T10:00:00.200Z',
          },
        ],
        results: [
          {
            agent: 'marketing',
            format: 'blog_post',
            title: 'Kafka',
            result_id: 'res1',
            epoch: 1,
            body_bytes: 42,
            written_at: '2026-11-24T10:00:00.300Z',
          },
        ],
        skips: writers.length,
        seo: [{ result_id: 'res1', score: 80 }],
        audit: [],
        done: true,
        waiting_for: [],
      },
    );
  });

  it('research the agent did not take is failed, and a later analysis still completes it', () => {
    const workflows = book();
    workflows.observe(
      record(
        'agent-activity',
        {
          agent: 'research',
          workflow_id: 'workflow_2',
          outcome: 'stale',
          reason: 'older than 1h',
          event_type: 'research-task',
          work_key: null,
          source_topic: 'research-tasks',
          source_partition: 0,
          source_offset: 0,
          source_timestamp: T0,
          lag_ms: 4_000_000,
          recorded_at: T0,
        },
        'workflow_2',
      ),
    );
    assert.deepEqual(workflows.get('workflow_2')?.research, {
      state: 'failed',
      agent: 'research',
      completed_at: null,
    });
    assert.equal(workflows.get('workflow_2')?.topic, null);
    workflows.observe(
      record(
        'research-events',
        {
          event_id: 'e2',
          event_type: 'analysis_complete',
          workflow_id: 'workflow_2',
          topic: 'kafka',
          output_path: '',
          timestamp: T0 + 100,
          summary: null,
          body: 'analysis',
        },
        'workflow_2',
        { producer: 'research' },
      ),
    );
    assert.equal(workflows.get('workflow_2')?.research.state, 'complete');
    assert.equal(workflows.get('workflow_2')?.topic, 'kafka');
  });

  it('keeps only the window and the newest workflows, dropping the first seen', () => {
    const workflows = book(T0 + 1000, 2);
    for (const [id, at] of [
      ['workflow_old', T0 - 4_000_000],
      ['workflow_a', T0],
      ['workflow_b', T0],
      ['workflow_c', T0],
    ] as const)
      workflows.observe({
        ...activity('seo', 'processed', 'x'),
        headers: { [HEADER.workflowId]: Buffer.from(id) },
        timestamp: at,
      });
    assert.equal(workflows.get('workflow_old'), undefined, 'older than the window');
    assert.equal(workflows.get('workflow_a'), undefined, 'past the count');
    assert.ok(workflows.get('workflow_b') && workflows.get('workflow_c'));
  });
});
