import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileBlobStore } from '@paxfleet/events';
import { S3BlobStore } from '@paxfleet/events/s3';
import { loadConfig, type Env } from '@paxfleet/core';
import { blobConfig, blobStoreFromConfig, bodiesFromConfig } from './blob-config.ts';

const schema = blobConfig;
const storeFor = (env: Env) => blobStoreFromConfig(loadConfig(schema, env));

describe('blob store configuration', () => {
  it('defaults to no store: bodies inline up to 64 KiB', () => {
    const config = loadConfig(schema, {});
    assert.equal(blobStoreFromConfig(config), undefined);
    assert.equal(bodiesFromConfig(config, undefined).inlineMaxBytes, 65_536);
  });

  it('builds the store BLOB_STORE names', () => {
    assert.ok(storeFor({ BLOB_STORE: 'file', BLOB_DIR: '/tmp/blobs' }) instanceof FileBlobStore);
    const s3 = storeFor({ BLOB_STORE: 's3', BLOB_S3_BUCKET: 'bodies', BLOB_S3_PREFIX: 'fleet/' });
    assert.ok(s3 instanceof S3BlobStore);
    assert.equal(s3.location, 's3://bodies/fleet/');
    s3.close();
  });

  it('stops naming the variable: an unknown store, a store without its setting, a bad value', () => {
    assert.throws(
      () => storeFor({ BLOB_STORE: 'nfs' }),
      /BLOB_STORE must be one of none, s3, file/,
    );
    assert.throws(
      () => storeFor({ BLOB_STORE: 's3' }),
      /CONFIG_INVALID: BLOB_S3_BUCKET is required when BLOB_STORE=s3/,
    );
    assert.throws(
      () => storeFor({ BLOB_STORE: 'file' }),
      /CONFIG_INVALID: BLOB_DIR is required when BLOB_STORE=file/,
    );
    assert.throws(
      () => storeFor({ BLOB_STORE: 's3', BLOB_S3_BUCKET: 'Not_A_Bucket' }),
      /BLOB_S3_BUCKET must be an S3 bucket name/,
    );
    assert.throws(
      () => storeFor({ BLOB_INLINE_MAX_BYTES: '2000000' }),
      /BLOB_INLINE_MAX_BYTES must be an integer between 0 and 524288/,
    );
    assert.throws(
      () => storeFor({ BLOB_S3_ENDPOINT: 'minio:9000' }),
      /BLOB_S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/,
    );
  });
});
