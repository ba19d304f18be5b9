import { blobStoreFromConfig } from '@paxfleet/agent-kit';
import { archiveStore } from '@paxfleet/archive';
import { eventRegistry } from '@paxfleet/events';
import { runServiceProcess } from '@paxfleet/service';
import { Archiver } from './archiver.ts';
import { archiverServiceConfig } from './config.ts';

const declared = eventRegistry().catalog.agent('archiver');

await runServiceProcess(
  {
    name: 'archiver',
    port: declared.port,
    config: archiverServiceConfig,
    lag: { groups: [declared.group] },
  },
  ({ config, logger, kafka, registry, metrics, readiness, onStart, onShutdown, fail }) => {
    const store = archiveStore(blobStoreFromConfig(config), config.ARCHIVE_DIR);
    const archiver = new Archiver({
      kafka,
      registry,
      store,
      groupId: declared.group,
      topics: declared.consumes,
      maxRecords: config.ARCHIVE_MAX_RECORDS,
      flushMs: config.ARCHIVE_FLUSH_MS,
      metrics,
      logger,
      onRefused: fail,
    });
    readiness.add('archive group', () => archiver.joined || 'not joined');
    onStart(async () => {
      await store.check();
      await archiver.start();
      logger.info('archiver archiving', {
        group: declared.group,
        topics: declared.consumes,
        store: store.location,
      });
    });
    onShutdown('archiver', () => archiver.stop());
    onShutdown('archive store', () => store.close());
  },
);
