import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testCatalog } from '../testing.ts';
import { blobExpiries } from './blob-retention.ts';

describe('blob expiry days', () => {
  it('keeps blobs as long as the longest tier serves the records, in whole days rounded up', () => {
    const catalog = testCatalog([
      {
        name: 'research',
        retention: '30d',
        tiers: { hot: '7d', archive: '90d' },
        blobPrefix: 'research/',
      },
      { name: 'short', retention: '36h', blobPrefix: 'short/' },
      { name: 'plain', retention: '7d' },
    ]);
    assert.deepEqual(blobExpiries(catalog), {
      retentions: [
        { prefix: 'research/', topic: 'research', days: 90 },
        { prefix: 'short/', topic: 'short', days: 2 },
        { prefix: 'archive/research/', topic: 'research', days: 90 },
      ],
    });
  });

  it('gives no rule to blobs kept forever by the topic or its archive', () => {
    const catalog = testCatalog([
      {
        name: 'content',
        retention: '365d',
        tiers: { hot: '30d', archive: 'forever' },
        blobPrefix: 'content/',
      },
      { name: 'audit', retention: 'forever', blobPrefix: 'audit/' },
    ]);
    assert.deepEqual(blobExpiries(catalog), { retentions: [] });
  });
});
