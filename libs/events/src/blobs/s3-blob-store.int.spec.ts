import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { eventRegistry } from '../registry.ts';
import { blobRetentions, sweepBlobs } from './blob-sweep.ts';
import { Bodies } from './bodies.ts';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';

// The S3-compatible server of scripts/with-s3.sh (or the bucket in BLOB_S3_BUCKET).
const bucket = process.env.BLOB_S3_BUCKET;
const options = (overrides: Partial<S3BlobStoreOptions> = {}): S3BlobStoreOptions => ({
  bucket: bucket as string,
  // Each run writes under a prefix of its own, so a shared bucket is never spoiled.
  prefix: `test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}/`,
  region: process.env.BLOB_S3_REGION ?? 'us-east-1',
  ...(process.env.BLOB_S3_ENDPOINT && { endpoint: process.env.BLOB_S3_ENDPOINT }),
  forcePathStyle: process.env.BLOB_S3_FORCE_PATH_STYLE === 'true',
  requestTimeoutMs: 5000,
  maxAttempts: 2,
  ...overrides,
});

describe(
  'S3BlobStore on a real S3-compatible server',
  {
    skip: bucket
      ? false
      : 'BLOB_S3_BUCKET is not set (make test runs this under scripts/with-s3.sh)',
  },
  () => {
    const store = new S3BlobStore(options());
    after(() => store.close());

    it('the bucket answers; a body written twice under one key reads back once, whole', async () => {
      await store.check();
      const body = Buffer.from(randomBytes(200_000));
      const ref = await store.put('research/big-topic/workflow_1.md', body);
      assert.equal(ref, `s3://${bucket}/${store.prefix}research/big-topic/workflow_1.md`);
      assert.equal(await store.put('research/big-topic/workflow_1.md', body), ref, 'a retry');
      assert.ok((await store.get(ref)).equals(body));
    });

    it('a missing key is BLOB_NOT_FOUND naming bucket and key; a reference elsewhere is refused', async () => {
      const missing = `s3://${bucket}/${store.prefix}research/missing.md`;
      await assert.rejects(store.get(missing), (error: Error & { details?: unknown }) => {
        assert.match(error.message, /^BLOB_NOT_FOUND: no blob at s3:\/\//);
        assert.deepEqual(error.details, {
          ref: missing,
          bucket,
          key: `${store.prefix}research/missing.md`,
        });
        return true;
      });
      await assert.rejects(store.get('s3://another-bucket/research/x.md'), /BLOB_REF_INVALID/);
      await assert.rejects(store.get('file:///etc/passwd'), /BLOB_REF_INVALID/);
    });

    it('a bucket that does not exist, or refused credentials, fail the boot check with the bucket named', async () => {
      const absent = new S3BlobStore(
        options({ bucket: `absent-${randomBytes(4).toString('hex')}` }),
      );
      await assert.rejects(
        absent.check(),
        /BLOB_STORE_FAILED: S3 bucket "absent-[0-9a-f]+" does not exist/,
      );
      absent.close();
      const refused = new S3BlobStore(
        options({ credentials: { accessKeyId: 'intruder', secretAccessKey: 'wrong' } }),
      );
      await assert.rejects(
        refused.check(),
        /BLOB_STORE_FAILED: S3 bucket ".+" refuses these credentials/,
      );
      await assert.rejects(
        refused.put('research/x.md', 'x'),
        /BLOB_STORE_FAILED: writing s3:\/\/.+\/research\/x\.md failed/,
      );
      refused.close();
    });

    it('an unreachable endpoint fails within the request timeout and attempts, naming the bucket', async () => {
      const dead = new S3BlobStore(
        options({ endpoint: 'http://127.0.0.1:9', forcePathStyle: true, maxAttempts: 1 }),
      );
      await assert.rejects(dead.check(), /BLOB_STORE_FAILED: S3 bucket ".+" cannot be reached/);
      dead.close();
    });

    it('bodies over the threshold travel through the bucket, small ones stay inline', async () => {
      const bodies = new Bodies({ store, inlineMaxBytes: 1024 });
      const small = await bodies.put('content/blog_post/t/workflow_2.md', 'short');
      const large = await bodies.put('content/blog_post/t/workflow_3.md', 'x'.repeat(5000));
      assert.equal(small.ref, '');
      assert.match(large.ref, /^s3:\/\//);
      assert.equal(await bodies.get(large), 'x'.repeat(5000));
    });

    it('lists by prefix and the sweep removes only what is past its retention', async () => {
      const sweepStore = new S3BlobStore(options());
      for (const key of ['research/a/workflow_1.md', 'research/b/workflow_2.md', 'content/c.md'])
        await sweepStore.put(key, key);
      const listed: string[] = [];
      for await (const blob of sweepStore.list('research/')) listed.push(blob.key);
      assert.deepEqual(listed.sort(), ['research/a/workflow_1.md', 'research/b/workflow_2.md']);
      const retentions = blobRetentions(eventRegistry().catalog);
      const research = retentions.find((retention) => retention.prefix === 'research/');
      const later = Date.now() + (research?.retentionMs ?? 0) + 60_000;
      // One report per retention of the catalog; only research's bodies were past theirs.
      assert.deepEqual(
        await sweepBlobs(sweepStore, retentions, later),
        retentions.map(({ prefix }) => ({
          prefix,
          kept: 0,
          deleted: prefix === 'research/' ? 2 : 0,
        })),
      );
      const left: string[] = [];
      for await (const blob of sweepStore.list('')) left.push(blob.key);
      assert.deepEqual(left, ['content/c.md']);
      sweepStore.close();
    });
  },
);
