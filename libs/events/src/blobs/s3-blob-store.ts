// A subpath of its own (@paxfleet/events/s3): the AWS SDK weighs about 15 MB per process,
// which services without an object store (the coordinator) skip.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { EventsError, type EventsErrorCode } from '../errors.ts';
import { checkBlobKey, type BlobStore, type StoredBlob } from './blob-store.ts';

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** Key prefix inside the bucket, e.g. "paxfleet/" (default none). */
  readonly prefix?: string;
  readonly region: string;
  /** An S3-compatible server (GCS's S3 API, an in-cluster server); AWS when not given. */
  readonly endpoint?: string;
  /** bucket.host/key (virtual-hosted, AWS's default) or host/bucket/key (most in-cluster servers). */
  readonly forcePathStyle?: boolean;
  /** Static credentials; when absent, the AWS default chain (environment, web identity, instance role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Per request, connection and response (default 10000). */
  readonly requestTimeoutMs?: number;
  /** Attempts per request, with the SDK's backoff between them (default 3). */
  readonly maxAttempts?: number;
}

/**
 * Blobs in an S3 bucket; references are s3://bucket/key URLs. A put of the same key
 * replaces the object, so a retried write is harmless. Requests time out and retry a
 * bounded number of times; every error names the bucket and the key.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly #client: S3Client;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    const timeout = options.requestTimeoutMs ?? 10_000;
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint && { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials && { credentials: { ...options.credentials } }),
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
      // Checksums only where the operation requires one: S3-compatible servers differ.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  /** Fails unless the bucket exists and these credentials may use it. */
  async check(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (cause) {
      const status = httpStatus(cause);
      const problem =
        status === 404
          ? 'does not exist'
          : status === 403 || status === 401
            ? 'refuses these credentials'
            : `cannot be reached (${(cause as Error).message})`;
      throw new EventsError('BLOB_STORE_FAILED', `S3 bucket "${this.bucket}" ${problem}`, {
        cause,
        details: { bucket: this.bucket, status },
      });
    }
  }

  refOf(key: string): string {
    return `s3://${this.bucket}/${this.prefix}${checkBlobKey(key)}`;
  }

  async put(key: string, body: Buffer | string): Promise<string> {
    const objectKey = this.prefix + checkBlobKey(key);
    try {
      await this.#client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: body }),
      );
    } catch (cause) {
      throw this.#failure('BLOB_STORE_FAILED', 'writing', objectKey, cause);
    }
    return this.refOf(key);
  }

  async get(ref: string): Promise<Buffer> {
    const objectKey = this.#keyOf(ref);
    try {
      const response = await this.#client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }),
      );
      return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
    } catch (cause) {
      if (httpStatus(cause) === 404) {
        throw new EventsError('BLOB_NOT_FOUND', `no blob at ${ref}`, {
          cause,
          details: { ref, bucket: this.bucket, key: objectKey },
        });
      }
      throw this.#failure('BLOB_STORE_FAILED', 'reading', objectKey, cause);
    }
  }

  async *list(prefix: string): AsyncIterable<StoredBlob> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ContinuationToken: token,
          }),
        );
      } catch (cause) {
        throw this.#failure('BLOB_STORE_FAILED', 'listing', this.prefix + prefix, cause);
      }
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield {
          key: object.Key.slice(this.prefix.length),
          writtenAt: object.LastModified?.getTime() ?? 0,
          bytes: object.Size ?? 0,
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** One DeleteObject per key: GCS's S3 API and some servers have no multi-object delete. */
  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const objectKey = this.prefix + checkBlobKey(key);
      try {
        await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      } catch (cause) {
        throw this.#failure('BLOB_STORE_FAILED', 'deleting', objectKey, cause);
      }
    }
  }

  /** Releases the client's sockets. */
  close(): void {
    this.#client.destroy();
  }

  #keyOf(ref: string): string {
    const base = `s3://${this.bucket}/`;
    if (!ref.startsWith(base)) {
      throw new EventsError(
        'BLOB_REF_INVALID',
        `"${ref}" is not a blob of this store (${this.location})`,
        { details: { ref, bucket: this.bucket } },
      );
    }
    return ref.slice(base.length);
  }

  #failure(code: EventsErrorCode, doing: string, key: string, cause: unknown): EventsError {
    return new EventsError(
      code,
      `${doing} s3://${this.bucket}/${key} failed: ${(cause as Error).message}`,
      { cause, details: { bucket: this.bucket, key, status: httpStatus(cause) } },
    );
  }
}

function httpStatus(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
