// A subpath of its own (@paxfleet/kafka/topic-configs): the pure-protocol client it uses
// weighs about 25 MB per process, which services that never change topic configs skip.
import {
  type Admin,
  ConfigResourceTypes,
  IncrementalAlterConfigOperationTypes,
  ListOffsetTimestamps,
} from '@platformatic/kafka';
import type { KafkaConnection } from './connection.ts';
import { KafkaError } from './errors.ts';
import { createProtocolAdmin } from './protocol-admin.ts';

export interface ClusterInfo {
  readonly brokerCount: number;
  /** Whether brokers run with remote.log.storage.system.enable (tiered storage). */
  readonly tieredStorage: boolean;
}

/**
 * Reads and changes topic configs. librdkafka's admin API has no
 * DescribeConfigs or IncrementalAlterConfigs, so this speaks them through a
 * pure-protocol admin client with the same connection settings.
 */
export class TopicConfigAdmin {
  readonly #admin: Admin;

  constructor(connection: KafkaConnection) {
    this.#admin = createProtocolAdmin(connection, 'configs');
  }

  async cluster(): Promise<ClusterInfo> {
    const metadata = await this.#call('read cluster metadata', () =>
      this.#admin.metadata({ topics: [] }),
    );
    const brokerId = [...metadata.brokers.keys()][0];
    let tieredStorage = false;
    if (brokerId !== undefined) {
      const [broker] = await this.#call('describe broker configs', () =>
        this.#admin.describeConfigs({
          resources: [
            {
              resourceType: ConfigResourceTypes.BROKER,
              resourceName: String(brokerId),
              configurationKeys: ['remote.log.storage.system.enable'],
            },
          ],
        }),
      );
      tieredStorage =
        broker?.configs.find((config) => config.name === 'remote.log.storage.system.enable')
          ?.value === 'true';
    }
    return { brokerCount: metadata.brokers.size, tieredStorage };
  }

  async describe(topics: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const described = await this.#call('describe topic configs', () =>
      this.#admin.describeConfigs({
        resources: topics.map((topic) => ({
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: topic,
        })),
      }),
    );
    const byTopic = new Map<string, Record<string, string>>();
    for (const resource of described) {
      const configs: Record<string, string> = {};
      for (const config of resource.configs)
        if (typeof config.value === 'string') configs[config.name] = config.value;
      byTopic.set(resource.resourceName, configs);
    }
    return byTopic;
  }

  async set(topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.#call(`alter configs of ${topic}`, () =>
      this.#admin.incrementalAlterConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: topic,
            configs: Object.entries(configs).map(([name, value]) => ({
              name,
              value,
              configOperation: IncrementalAlterConfigOperationTypes.SET,
            })),
          },
        ],
      }),
    );
  }

  /**
   * Each partition's first offset still on the broker's disks (ListOffsets with
   * EARLIEST_LOCAL, KIP-405): with tiered storage, the records before it are only in
   * the remote tier; without, it is the log start.
   */
  async localLogStarts(topic: string): Promise<Map<number, number>> {
    const metadata = await this.#call(`read the metadata of ${topic}`, () =>
      this.#admin.metadata({ topics: [topic] }),
    );
    const partitions = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const [listed] = await this.#call(`list the local log starts of ${topic}`, () =>
      this.#admin.listOffsets({
        topics: [
          {
            name: topic,
            partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
              partitionIndex,
              timestamp: ListOffsetTimestamps.EARLIEST_LOCAL,
            })),
          },
        ],
      }),
    );
    return new Map(
      (listed?.partitions ?? []).map((partition) => [
        partition.partitionIndex,
        Number(partition.offset),
      ]),
    );
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }

  async #call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (cause) {
      throw new KafkaError(
        'KAFKA_TOPIC_SETUP_FAILED',
        `could not ${what}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
}
