import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTraceparent } from './headers.ts';
import { encodeRecord } from './records.ts';
import { eventRegistry } from './registry.ts';

const task = {
  task_id: 't1',
  workflow_id: 'workflow_7k2p',
  topic: 'agent-observability',
  brief: '',
  requested_by: 'test',
  requested_at: 1,
};

describe('encodeRecord', () => {
  it('sets traceparent, workflow-id, event-type and producer headers', () => {
    const record = encodeRecord(
      eventRegistry(),
      'coordinator',
      1_000_000,
      'research-tasks',
      task.topic,
      task,
      {
        workflowId: task.workflow_id,
      },
    );
    assert.equal(record.headers['workflow-id'], 'workflow_7k2p');
    assert.equal(record.headers['event-type'], 'research-task');
    assert.equal(record.headers.producer, 'coordinator');
    assert.ok(isTraceparent(record.headers.traceparent ?? ''));
  });

  it('keeps the caller trace and takes event-type from the value', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const record = encodeRecord(
      eventRegistry(),
      'research',
      1_000_000,
      'research-events',
      'k',
      {
        event_id: 'e',
        event_type: 'analysis_complete',
        workflow_id: 'w',
        topic: 'k',
        output_path: 'p',
        timestamp: 1,
        summary: null,
        body: null,
      },
      { workflowId: 'w', traceparent },
    );
    assert.equal(record.headers.traceparent, traceparent);
    assert.equal(record.headers['event-type'], 'analysis_complete');
  });

  it('fails clearly above the maximum record size instead of sending', () => {
    assert.throws(
      () =>
        encodeRecord(
          eventRegistry(),
          'coordinator',
          200,
          'research-tasks',
          task.topic,
          { ...task, brief: 'x'.repeat(500) },
          {
            workflowId: 'w',
          },
        ),
      /RECORD_TOO_LARGE: research-tasks record for key "agent-observability" is \d+ bytes, over the 200-byte limit/,
    );
  });
});
