import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Bodies, DEFAULT_INLINE_MAX_BYTES, FileBlobStore, type BlobStore } from '@paxfleet/events';
import { S3BlobStore } from '@paxfleet/events/s3';
import { ServiceError } from '@paxfleet/service';

/**
 * Where bodies too large to ride inline go. BLOB_STORE=none (the default) keeps every
 * body inline and refuses larger ones; s3 is the store a cluster uses; file suits one
 * process, or processes that share a mounted volume.
 */
export function blobConfigProperties() {
  return {
    BLOB_STORE: Type.Union([Type.Literal('none'), Type.Literal('s3'), Type.Literal('file')], {
      default: 'none',
    }),
    BLOB_INLINE_MAX_BYTES: Type.Integer({
      minimum: 0,
      maximum: 524_288,
      default: DEFAULT_INLINE_MAX_BYTES,
    }),
    BLOB_DIR: Type.Optional(Type.String({ minLength: 1 })),
    BLOB_S3_BUCKET: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
        errorMessage: 'must be an S3 bucket name (3-63 lower-case letters, digits, "." or "-")',
      }),
    ),
    BLOB_S3_PREFIX: Type.String({
      pattern: '^([a-z0-9][a-z0-9._-]*/)*$',
      errorMessage: 'must be key segments each ending in "/" (e.g. paxfleet/), or empty',
      default: '',
    }),
    BLOB_S3_REGION: Type.String({ minLength: 1, default: 'us-east-1' }),
    BLOB_S3_ENDPOINT: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s/]+(/.*)?$',
        errorMessage: 'must be an http:// or https:// URL',
      }),
    ),
    BLOB_S3_FORCE_PATH_STYLE: Type.Boolean({ default: false }),
    BLOB_S3_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
    BLOB_S3_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  };
}

export type BlobConfig = Static<TObject<ReturnType<typeof blobConfigProperties>>>;

/** The configured blob store (none when BLOB_STORE=none); a setting it needs but lacks stops the service, naming it. */
export function blobStoreFromConfig(config: BlobConfig): BlobStore | undefined {
  const required = (variable: string, value: string | undefined): string => {
    if (value) return value;
    throw new ServiceError(
      'SERVICE_CONFIG_INVALID',
      `${variable} is required when BLOB_STORE=${config.BLOB_STORE}`,
      { details: { variable } },
    );
  };
  switch (config.BLOB_STORE) {
    case 'none':
      return undefined;
    case 'file':
      return new FileBlobStore(required('BLOB_DIR', config.BLOB_DIR));
    case 's3':
      return new S3BlobStore({
        bucket: required('BLOB_S3_BUCKET', config.BLOB_S3_BUCKET),
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
