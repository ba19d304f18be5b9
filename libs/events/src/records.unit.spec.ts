import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileBlobStore } from './blob-store.ts';
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

describe('FileBlobStore', () => {
  let root = '';
  after(() => rm(root, { recursive: true, force: true }));

  it('stores a body and returns a reference that reads it back', async () => {
    root = await mkdtemp(join(tmpdir(), 'blobs-'));
    const store = new FileBlobStore(root);
    const ref = await store.put('research/agent-observability.md', '# Analysis');
    assert.match(ref, /^file:\/\/.*research\/agent-observability\.md$/);
    assert.equal((await store.get(ref)).toString(), '# Analysis');
  });

  it('refuses keys and references outside the store', async () => {
    const store = new FileBlobStore(root);
    await assert.rejects(store.put('../escape.md', 'x'), /BLOB_REF_INVALID/);
    await assert.rejects(store.get('file:///etc/passwd'), /BLOB_REF_INVALID/);
    await assert.rejects(store.get(`file://${root}/missing.md`), /BLOB_NOT_FOUND/);
  });
});
