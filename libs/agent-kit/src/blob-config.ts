import { Type } from '@sinclair/typebox';
import { configFragment, requiredWhen, type ConfigOf } from '@paxfleet/core';
import { Bodies, DEFAULT_INLINE_MAX_BYTES, FileBlobStore, type BlobStore } from '@paxfleet/events';
import { S3BlobStore } from '@paxfleet/events/s3';

const requiredFor = (store: 'file' | 's3', variable: string) =>
  requiredWhen(variable, (config) => config.BLOB_STORE === store, `when BLOB_STORE=${store}`);

/**
 * Where bodies too large to ride inline go. BLOB_STORE=none (the default) keeps every
 * body inline and refuses larger ones; s3 is the store a cluster uses; file suits one
 * process, or processes that share a mounted volume.
 */
export const blobConfig = configFragment(
  'Blob store',
  {
    BLOB_STORE: Type.Union([Type.Literal('none'), Type.Literal('s3'), Type.Literal('file')], {
      default: 'none',
      description:
        'none: every body inline, larger ones refused; s3: an S3-compatible bucket (a cluster); file: a directory (one process, or a shared volume).',
    }),
    BLOB_INLINE_MAX_BYTES: Type.Integer({
      minimum: 0,
      maximum: 524_288,
      default: DEFAULT_INLINE_MAX_BYTES,
      description: 'Bodies up to this size ride inside the record; larger ones go to the store.',
    }),
    BLOB_DIR: Type.Optional(
      Type.String({ minLength: 1, description: 'With file: the directory of the blobs.' }),
    ),
    BLOB_S3_BUCKET: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
        errorMessage: 'must be an S3 bucket name (3-63 lower-case letters, digits, "." or "-")',
        description: 'With s3: the bucket.',
      }),
    ),
    BLOB_S3_PREFIX: Type.String({
      pattern: '^([a-z0-9][a-z0-9._-]*/)*$',
      errorMessage: 'must be key segments each ending in "/" (e.g. paxfleet/), or empty',
      default: '',
      description: 'With s3: the key prefix of every blob, e.g. paxfleet/.',
    }),
    BLOB_S3_REGION: Type.String({
      minLength: 1,
      default: 'us-east-1',
      description: "With s3: the bucket's region.",
    }),
    BLOB_S3_ENDPOINT: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s/]+(/.*)?$',
        errorMessage: 'must be an http:// or https:// URL',
        description: "With s3: a server other than AWS's (GCS's S3 API, an in-cluster server).",
      }),
    ),
    BLOB_S3_FORCE_PATH_STYLE: Type.Boolean({
      default: false,
      description: 'With s3: bucket in the path instead of the host name (most non-AWS servers).',
    }),
    BLOB_S3_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      default: 10_000,
      description: 'With s3: the longest one request may take.',
    }),
    BLOB_S3_MAX_ATTEMPTS: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 3,
      description: 'With s3: tries per request.',
    }),
  },
  requiredFor('file', 'BLOB_DIR'),
  requiredFor('s3', 'BLOB_S3_BUCKET'),
);

export type BlobConfig = ConfigOf<typeof blobConfig>;

/** The configured blob store, none when BLOB_STORE=none (the rules above made sure of what each store needs). */
export function blobStoreFromConfig(config: BlobConfig): BlobStore | undefined {
  switch (config.BLOB_STORE) {
    case 'none':
      return undefined;
    case 'file':
      return new FileBlobStore(config.BLOB_DIR ?? '');
    case 's3':
      return new S3BlobStore({
        bucket: config.BLOB_S3_BUCKET ?? '',
        prefix: config.BLOB_S3_PREFIX,
        region: config.BLOB_S3_REGION,
        ...(config.BLOB_S3_ENDPOINT && { endpoint: config.BLOB_S3_ENDPOINT }),
        forcePathStyle: config.BLOB_S3_FORCE_PATH_STYLE,
        requestTimeoutMs: config.BLOB_S3_TIMEOUT_MS,
        maxAttempts: config.BLOB_S3_MAX_ATTEMPTS,
      });
  }
}

export function bodiesFromConfig(config: BlobConfig, store: BlobStore | undefined): Bodies {
  return new Bodies({
    ...(store && { store }),
    inlineMaxBytes: config.BLOB_INLINE_MAX_BYTES,
    storeSetting: 'BLOB_STORE',
  });
}
