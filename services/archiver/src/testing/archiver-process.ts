// An archiver as a child process, for the crash test: topics, group and archive
// directory from the environment; small objects written often.
import { Registry } from 'prom-client';
import { eventRegistry, FileBlobStore } from '@paxfleet/events';
import { testKafka } from '@paxfleet/kafka/testing';
import { silentLogger } from '@paxfleet/service';
import { Archiver } from '../archiver.ts';

const archiver = new Archiver({
  kafka: testKafka(`archiver-${process.pid}`),
  registry: eventRegistry(),
  store: new FileBlobStore(process.env.ARCHIVE_DIR ?? 'archive'),
  groupId: process.env.ARCHIVE_GROUP ?? 'archiver-test',
  topics: JSON.parse(process.env.ARCHIVE_TOPICS ?? '[]') as string[],
  maxRecords: Number(process.env.ARCHIVE_MAX_RECORDS ?? 100),
  flushMs: Number(process.env.ARCHIVE_FLUSH_MS ?? 200),
  metrics: new Registry(),
  logger: silentLogger,
});

process.once('SIGTERM', () => {
  archiver.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await archiver.start();
console.log('ready');
