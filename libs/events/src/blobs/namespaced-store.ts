import type { BlobStore, StoredBlob } from './blob-store.ts';

/** Where a Kafka namespace's blobs are written: `namespaces/<namespace>/<key>`. */
export function namespacePrefix(namespace: string): string {
  return `namespaces/${namespace}/`;
}

/**
 * The store as a fleet in a Kafka namespace (a shadow replay) sees it: what it writes goes
 * under the namespace's prefix, never over a live blob of the same key; references from
 * live records still read, as references are whole.
 */
export function namespacedBlobStore(store: BlobStore, namespace: string): BlobStore {
  const prefix = namespacePrefix(namespace);
  return {
    location: `${store.location} (${prefix})`,
    put: (key, body) => store.put(`${prefix}${key}`, body),
    refOf: (key) => store.refOf(`${prefix}${key}`),
    get: (ref) => store.get(ref),
    async *list(under): AsyncIterable<StoredBlob> {
      for await (const blob of store.list(`${prefix}${under}`))
        yield { ...blob, key: blob.key.slice(prefix.length) };
    },
    delete: (keys) => store.delete(keys.map((key) => `${prefix}${key}`)),
    check: () => store.check(),
    close: () => store.close(),
  };
}
