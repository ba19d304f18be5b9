import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatTimeline, workflowHistory } from '@paxfleet/cli';
import { EventProducer, FileBlobStore } from '@paxfleet/events';
import { analysisOf, isolatedTopics, numberedTask, startWorker } from '@paxfleet/events/testing';
import { kafkaConnectionFromEnv, PartitionReader } from '@paxfleet/kafka';
import { eventually, testKafka, uniqueName, withAdmin } from '@paxfleet/kafka/testing';

const kafka = testKafka('archive-timeline-test');
const dir = mkdtempSync(join(tmpdir(), 'paxfleet-archive-timeline-'));
const workers = new Set<ReturnType<typeof startWorker>>();
after(() => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('history that outlives the broker', { timeout: 180_000 }, () => {
  it('a workflow whose records the broker deleted by retention is still a whole timeline, from the archive', async () => {
    const topics = isolatedTopics(['research-events', 'agent-activity']);
    const names = [topics.names['research-events'], topics.names['agent-activity']];
    // Retention of seconds, segments of half a second: the broker deletes them itself.
    await withAdmin(kafka, (admin) =>
      admin.createTopics({
        topics: names.map((topic) => ({
          topic,
          numPartitions: 2,
          replicationFactor: 1,
          configEntries: [
            { name: 'retention.ms', value: '3000' },
            { name: 'segment.ms', value: '500' },
            { name: 'file.delete.delay.ms', value: '0' },
          ],
        })),
      }),
    );
    const archiveDir = join(dir, 'archive');
    const worker = startWorker(
      new URL('../../services/archiver/src/testing/archiver-process.ts', import.meta.url),
      {
        ARCHIVE_TOPICS: JSON.stringify(names),
        ARCHIVE_GROUP: uniqueName('archive-timeline'),
        ARCHIVE_DIR: archiveDir,
        ARCHIVE_FLUSH_MS: '100',
      },
    );
    workers.add(worker);
    await worker.ready;

    const producer = new EventProducer({ kafka, registry: topics.registry, agent: 'research' });
    await producer.connect();
    const task = numberedTask(7);
    const workflow = uniqueName('workflow_archived').replaceAll('-', '_');
    const context = { workflowId: workflow };
    const started = Date.now();
    await producer.send(
      topics.names['research-events'],
      task.topic,
      {
        ...analysisOf(task, started, 'memory://x'),
        event_type: 'analysis_started',
        workflow_id: workflow,
      },
      context,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await producer.send(
      topics.names['research-events'],
      task.topic,
      { ...analysisOf(task, Date.now(), 'memory://x'), workflow_id: workflow },
      context,
    );
    // Records of one millisecond sort by topic: the activity is recorded after the work.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await producer.send(
      topics.names['agent-activity'],
      'research',
      {
        agent: 'research',
        workflow_id: workflow,
        outcome: 'processed',
        reason: '',
        event_type: 'research-task',
        work_key: null,
        source_topic: 'research-tasks',
        source_partition: 0,
        source_offset: 0,
        source_timestamp: started,
        lag_ms: 12,
        recorded_at: Date.now(),
      },
      context,
    );

    const store = new FileBlobStore(archiveDir);
    let history: Awaited<ReturnType<typeof workflowHistory>>;
    // Until retention has taken the workflow's records: other records keep rolling segments.
    const reader = new PartitionReader(
      kafkaConnectionFromEnv(process.env, uniqueName('archive-timeline-marks')),
    );
    await reader.connect();
    try {
      await eventually(
        async () => {
          await producer.send(
            topics.names['research-events'],
            'filler',
            analysisOf(numberedTask(1), Date.now(), 'memory://y'),
            { workflowId: 'workflow_filler' },
          );
          await producer.send(
            topics.names['agent-activity'],
            'filler',
            {
              agent: 'filler',
              workflow_id: 'workflow_filler',
              outcome: 'processed',
              reason: '',
              event_type: 'x',
              work_key: null,
              source_topic: 'x',
              source_partition: 0,
              source_offset: 0,
              source_timestamp: 0,
              lag_ms: 0,
              recorded_at: 0,
            },
            { workflowId: 'workflow_filler' },
          );
          const history = await workflowHistory(
            kafkaConnectionFromEnv(process.env, 'archive-timeline'),
            topics.registry,
            workflow,
          );
          return history.entries.length;
        },
        (onBroker) => onBroker === 0,
        { timeoutMs: 90_000, intervalMs: 500 },
      );
      await producer.disconnect();
      history = await workflowHistory(
        kafkaConnectionFromEnv(process.env, 'archive-timeline'),
        topics.registry,
        workflow,
        { store, topics: names },
      );
      // The broker's log start has moved past every record of the workflow.
      for (const entry of history.entries) {
        const low = (await reader.watermarks(entry.topic)).get(entry.partition)?.low ?? -1;
        assert.ok(
          low > entry.offset,
          `${entry.topic}[${entry.partition}]: log start ${low} is past ${entry.offset}`,
        );
      }
    } finally {
      await reader.close();
    }
    worker.child.kill('SIGTERM');
    await once(worker.child, 'exit');
    assert.deepEqual(
      history.entries.map((entry) => [entry.source, entry.eventType]),
      [
        ['archive', 'analysis_started'],
        ['archive', 'analysis_complete'],
        ['archive', 'research-task'],
      ],
      'the whole workflow, from the archive, in causal order',
    );
    // One workflow among the filler's: the index names the few objects that hold it.
    let objects = 0;
    for await (const blob of store.list('archive/')) if (blob.key.endsWith('.avro')) objects += 1;
    const read = history.archive?.objectsRead ?? 0;
    assert.ok(
      read <= history.entries.length && objects > read,
      `${read} of ${objects} archive objects read`,
    );
    console.log(formatTimeline(history.entries));
    console.log(
      `archive: ${history.archive?.records} records from ${read} of ${objects} objects (${history.archive?.indexEntries} index entries); on the broker: none`,
    );
  });
});
