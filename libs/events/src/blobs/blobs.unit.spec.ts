import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventRegistry } from '../registry.ts';
import { blobRetentions, sweepBlobs } from './blob-sweep.ts';
import { Bodies } from './bodies.ts';
import { FileBlobStore } from './file-blob-store.ts';

const DAY = 86_400_000;
let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'blobs-'));
});
after(() => rm(root, { recursive: true, force: true }));

describe('FileBlobStore', () => {
  it('stores a body and returns a reference that reads it back', async () => {
    const store = new FileBlobStore(join(root, 'roundtrip'));
    const ref = await store.put('research/agent-observability.md', '# Analysis');
    assert.match(ref, /^file:\/\/.*research\/agent-observability\.md$/);
    assert.equal((await store.get(ref)).toString(), '# Analysis');
  });

  it('refuses keys and references outside the store', async () => {
    const store = new FileBlobStore(join(root, 'roundtrip'));
    await assert.rejects(store.put('../escape.md', 'x'), /BLOB_REF_INVALID/);
    await assert.rejects(store.get('file:///etc/passwd'), /BLOB_REF_INVALID/);
    await assert.rejects(store.get(`file://${root}/roundtrip/missing.md`), /BLOB_NOT_FOUND/);
  });
});

describe('Bodies', () => {
  it('keeps a body up to the threshold inline and stores a larger one by reference', async () => {
    const store = new FileBlobStore(join(root, 'bodies'));
    const bodies = new Bodies({ store, inlineMaxBytes: 8 });
    const small = await bodies.put('research/small.md', '12345678');
    assert.deepEqual(small, { body: '12345678', ref: '', bytes: 8 });
    const large = await bodies.put('research/large.md', 'é'.repeat(5));
    assert.equal(large.body, null);
    assert.equal(large.bytes, 10, 'the threshold counts UTF-8 bytes, not characters');
    assert.match(large.ref, /^file:\/\/.*research\/large\.md$/);
    assert.equal(await bodies.get(small), '12345678');
    assert.equal(await bodies.get(large), 'é'.repeat(5));
  });

  it('without a blob store: small bodies work, a large one fails naming the setting, never truncated', async () => {
    const bodies = new Bodies({ inlineMaxBytes: 4 });
    assert.equal(await bodies.get(await bodies.put('content/a.md', 'tiny')), 'tiny');
    await assert.rejects(
      bodies.put('content/b.md', 'too large'),
      /BLOB_STORE_REQUIRED: a body of 9 bytes is over the inline threshold of 4 bytes and no blob store is configured: set BLOB_STORE/,
    );
    await assert.rejects(
      bodies.get({ body: null, ref: 's3://bucket/research/x.md' }),
      /BLOB_STORE_REQUIRED: the body is stored by reference \(s3:\/\/bucket\/research\/x\.md\)/,
    );
  });

  it('a threshold of 0 stores every body by reference', async () => {
    const bodies = new Bodies({ store: new FileBlobStore(join(root, 'zero')), inlineMaxBytes: 0 });
    assert.equal((await bodies.put('research/one.md', 'x')).body, null);
  });

  it('an event with neither body nor reference is refused', async () => {
    await assert.rejects(
      new Bodies({ inlineMaxBytes: 10 }).get({ body: null, ref: '' }),
      /BLOB_REF_INVALID/,
    );
  });
});

describe('blob retention and the sweep', () => {
  it('follows the catalog: research bodies as long as research-events are archived, content forever, archive objects for their tier', () => {
    assert.deepEqual(blobRetentions(eventRegistry().catalog), [
      { prefix: 'research/', topic: 'research-events', retentionMs: 90 * DAY },
      { prefix: 'content/', topic: 'content-results', retentionMs: -1 },
      { prefix: 'model-calls/', topic: 'model-calls', retentionMs: 365 * DAY },
      { prefix: 'archive/research-tasks/', topic: 'research-tasks', retentionMs: 90 * DAY },
      { prefix: 'archive/research-events/', topic: 'research-events', retentionMs: 90 * DAY },
      { prefix: 'archive/content-claims/', topic: 'content-claims', retentionMs: 90 * DAY },
      { prefix: 'archive/content-results/', topic: 'content-results', retentionMs: -1 },
      { prefix: 'archive/agent-activity/', topic: 'agent-activity', retentionMs: 90 * DAY },
      { prefix: 'archive/model-calls/', topic: 'model-calls', retentionMs: 365 * DAY },
      { prefix: 'archive/seo-reports/', topic: 'seo-reports', retentionMs: 365 * DAY },
      { prefix: 'archive/audit-findings/', topic: 'audit-findings', retentionMs: 365 * DAY },
    ]);
  });

  it('deletes blobs past their retention and keeps the rest', async () => {
    const store = new FileBlobStore(join(root, 'sweep'));
    const old = await store.put('research/old/workflow_a.md', 'old');
    await store.put('research/new/workflow_b.md', 'new');
    const content = await store.put('content/blog_post/old/workflow_a.md', 'kept forever');
    const archived = await store.put(
      'archive/agent-activity/0/00000000000000000000-00000000000000000009.avro',
      'old',
    );
    const now = Date.now();
    const longAgo = new Date(now - 91 * DAY);
    await utimes(fileURLToPath(old), longAgo, longAgo);
    await utimes(fileURLToPath(content), longAgo, longAgo);
    await utimes(fileURLToPath(archived), longAgo, longAgo);
    const reports = await sweepBlobs(store, blobRetentions(eventRegistry().catalog), now);
    assert.deepEqual(reports, [
      { prefix: 'research/', kept: 1, deleted: 1 },
      { prefix: 'content/', kept: 0, deleted: 0 },
      { prefix: 'model-calls/', kept: 0, deleted: 0 },
      { prefix: 'archive/research-tasks/', kept: 0, deleted: 0 },
      { prefix: 'archive/research-events/', kept: 0, deleted: 0 },
      { prefix: 'archive/content-claims/', kept: 0, deleted: 0 },
      { prefix: 'archive/content-results/', kept: 0, deleted: 0 },
      { prefix: 'archive/agent-activity/', kept: 0, deleted: 1 },
      { prefix: 'archive/model-calls/', kept: 0, deleted: 0 },
      { prefix: 'archive/seo-reports/', kept: 0, deleted: 0 },
      { prefix: 'archive/audit-findings/', kept: 0, deleted: 0 },
    ]);
    await assert.rejects(store.get(archived), /BLOB_NOT_FOUND/);
    await assert.rejects(store.get(old), /BLOB_NOT_FOUND/);
    assert.equal((await store.get(content)).toString(), 'kept forever');
  });
});
