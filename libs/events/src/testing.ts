import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { eventually, uniqueName, waitForLeaders, withAdmin } from '@paxfleet/kafka/testing';
import type { Consumer, Kafka } from '@paxfleet/kafka';
import { parseCatalog } from './catalog.ts';
import {
  catalogSource,
  type ResearchEvent,
  type ResearchTask,
  type TopicName,
} from './generated/events.ts';
import { EventProducer } from './event-producer.ts';
import { ExactlyOnceProcessor } from './exactly-once.ts';
import { EventRegistry } from './registry.ts';

export { MemoryBlobStore } from './blobs/memory-blob-store.ts';

/**
 * A registry whose catalog holds fresh copies of the given topics under unique
 * names, so integration tests never share topics. Each copy is typed as the
 * topic it copies: code under test cannot tell them apart.
 */
export interface IsolatedTopics<T extends TopicName> {
  readonly registry: EventRegistry;
  readonly names: { readonly [K in T]: K };
  create(kafka: Kafka): Promise<void>;
}

export function isolatedTopics<T extends TopicName>(
  topics: readonly T[],
  given?: Readonly<Record<string, string>>,
): IsolatedTopics<T> {
  const source = catalogSource as { defaults: unknown; topics: { name: string }[] };
  const names = Object.fromEntries(
    topics.map((topic) => [topic, given?.[topic] ?? uniqueName(topic)]),
  ) as {
    [K in T]: K;
  };
  const copies = topics.map((topic) => {
    const original = source.topics.find((entry) => entry.name === topic);
    return { ...original, name: names[topic] };
  });
  const base = new EventRegistry();
  const registry = new EventRegistry(
    base.schemas,
    parseCatalog({ defaults: source.defaults, topics: copies, agents: {} }, base.schemas),
  );
  return {
    registry,
    names,
    async create(kafka) {
      await withAdmin(kafka, async (admin) => {
        await admin.createTopics({
          topics: registry.catalog.topics.map((spec) => ({
            topic: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: 1,
          })),
          // A broker busy with other tests' fleets may take longer than the default 5 s.
          timeout: 30_000,
        });
        await waitForLeaders(
          admin,
          registry.catalog.topics.map((spec) => spec.name),
        );
      });
    },
  };
}

/** A read_committed reader that keeps every decoded value it sees, in order. */
export class TopicWatcher<T> {
  readonly values: T[] = [];
  readonly topic: string;
  readonly #consumer: Consumer;
  readonly #decode: (bytes: Buffer) => T;

  constructor(kafka: Kafka, topic: string, decode: (bytes: Buffer) => T) {
    this.topic = topic;
    this.#decode = decode;
    this.#consumer = kafka.consumer({
      'group.id': uniqueName('watcher'),
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': false,
      'isolation.level': 'read_committed',
      'js.consumer.max.batch.size': 1000,
    });
  }

  async start(): Promise<this> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.topic });
    await this.#consumer.run({
      eachBatch: ({ batch }) => {
        for (const message of batch.messages)
          if (message.value) this.values.push(this.#decode(message.value));
        return Promise.resolve();
      },
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}

/**
 * A crash test's worker: the TypeScript program at `script` as a child process with
 * `env` added, `ready` resolving when it prints the line "ready", every other line of
 * its stdout passed to `onLine`.
 */
export function startWorker(
  script: URL,
  env: Readonly<Record<string, string>>,
  onLine: (line: string) => void = () => {},
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--conditions=paxfleet-source', script.pathname], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => (line === 'ready' ? resolve() : onLine(line)));
    child.once('exit', (code) =>
      reject(new Error(`worker exited with ${code} before it was ready`)),
    );
  });
  return { child, ready };
}

/** Research task number `index` as crash tests and benchmarks write them: task-<index>. */
export function numberedTask(index: number): ResearchTask {
  return {
    task_id: `task-${index}`,
    workflow_id: `workflow_${index}`,
    topic: `topic-${index % 101}`,
    brief: 'benchmark',
    requested_by: 'bench',
    requested_at: Date.now(),
  };
}

/** Writes tasks 0 to count - 1 to the topic, a thousand per send. */
export async function writeNumberedTasks(
  kafka: Kafka,
  registry: EventRegistry,
  topic: 'research-tasks',
  count: number,
): Promise<void> {
  const producer = new EventProducer({ kafka, registry, agent: 'bench' });
  await producer.connect();
  try {
    for (let start = 0; start < count; start += 1000) {
      await producer.sendRecords(
        Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
          const task = numberedTask(start + offset);
          return producer.record(topic, task.topic, task, { workflowId: task.workflow_id });
        }),
      );
    }
  } finally {
    await producer.disconnect();
  }
}

/** The one output a test or benchmark transform makes of a task, named by the task. */
export function analysisOf(
  task: ResearchTask,
  timestamp: number,
  outputPath: string,
): ResearchEvent {
  return {
    event_id: task.task_id,
    event_type: 'analysis_complete',
    workflow_id: task.workflow_id,
    topic: task.topic,
    output_path: outputPath,
    timestamp,
    summary: null,
    body: null,
  };
}

/** What one run of the processor benchmark measured. */
export interface ProcessorRun {
  readonly records: number;
  /** Partition commits (a transaction carries one or several). */
  readonly commits: number;
  /** From the first record transformed to the last commit. */
  readonly seconds: number;
}

/**
 * The benchmarks' exactly-once run: an ExactlyOnceProcessor under a fresh group turns
 * `records` numbered tasks on `input` into one analysis each on `output` (analysisOf),
 * at most `maxBatchRecords` per transaction, and is stopped once all are committed.
 */
export async function runAnalysisProcessor(options: {
  readonly kafka: Kafka;
  readonly registry: EventRegistry;
  readonly topics: {
    readonly input: 'research-tasks';
    readonly output: 'research-events';
    readonly deadLetters: 'dead-letters';
  };
  readonly records: number;
  readonly maxBatchRecords: number;
}): Promise<ProcessorRun> {
  const { kafka, registry, topics, records, maxBatchRecords } = options;
  let processed = 0;
  let commits = 0;
  let first = 0;
  let last = 0;
  const processor = new ExactlyOnceProcessor({
    kafka,
    registry,
    agent: 'bench',
    groupId: uniqueName('bench'),
    transactionalId: uniqueName('bench-txn'),
    topics: [topics.input],
    deadLetterTopic: topics.deadLetters,
    maxBatchRecords,
    maxBatchMs: 1000,
    transform: (record, outbox) => {
      first ||= Date.now();
      outbox.send(
        topics.output,
        record.value.topic,
        analysisOf(record.value, record.timestamp, 'memory://bench'),
        record.context,
      );
      return Promise.resolve();
    },
    onCommit: (summary) => {
      processed += summary.records;
      commits += 1;
      last = Date.now();
    },
  });
  await processor.start();
  await eventually(
    () => processed,
    (count) => count >= records,
    { timeoutMs: 600_000, intervalMs: 100 },
  );
  await processor.stop();
  return { records: processed, commits, seconds: (last - first) / 1000 };
}
