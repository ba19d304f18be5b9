import type { KafkaConnection, PartitionStart } from '@paxfleet/kafka';
import { TopicReader, type EventRegistry } from '@paxfleet/events';
import { WORKFLOW_TOPICS, type WorkflowBook, type WorkflowTopic } from './workflow-book.ts';

export interface WorkflowFollowerOptions {
  readonly connection: KafkaConnection;
  readonly registry: EventRegistry;
  readonly book: WorkflowBook;
  /** Each topic is read from its first record of the last windowMs (the broker's time index). */
  readonly windowMs: number;
  readonly onError: (error: Error) => void;
  readonly clock?: () => number;
}

/**
 * Feeds the workflow book from the topics a workflow's status is made of, outside any
 * consumer group: the window's history, then live. The claim log comes from the claim board.
 */
export class WorkflowFollower {
  readonly #options: WorkflowFollowerOptions;
  readonly #reader: TopicReader;
  #following = false;

  constructor(options: WorkflowFollowerOptions) {
    this.#options = options;
    this.#reader = new TopicReader(options.connection, options.registry, {
      clientId: 'coordinator-workflows',
      onError: (error) => options.onError(error),
      onUndecodable: (record, error) =>
        options.onError(
          new Error(`${record.topic}/${record.partition}@${record.offset}: ${error.message}`),
        ),
    });
  }

  /** The window's history has been read; records arrive live from here on. */
  get following(): boolean {
    return this.#following;
  }

  async start(): Promise<void> {
    await this.#reader.connect();
    const since = (this.#options.clock ?? Date.now)() - this.#options.windowMs;
    const starts: PartitionStart[] = [];
    for (const topic of WORKFLOW_TOPICS)
      starts.push(...(await this.#reader.everyPartition(topic, { atOrAfter: since })));
    await this.#reader.follow<WorkflowTopic>(starts, (record) =>
      this.#options.book.observe(record),
    );
    this.#following = true;
  }

  async stop(): Promise<void> {
    this.#following = false;
    await this.#reader.close();
  }
}
