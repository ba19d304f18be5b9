import { existsSync } from 'node:fs';
import { blobConfig, blobStoreFromConfig, bodiesFromConfig } from '@paxfleet/agent-kit';
import { archiveDirConfig, archiveStore } from '@paxfleet/archive';
import { composeConfig, loadConfig } from '@paxfleet/core';
import { eventRegistry, type Bodies, type BlobStore, type EventRegistry } from '@paxfleet/events';
import { kafkaConnectionFromEnv, type KafkaConnection } from '@paxfleet/kafka';
import { CliError } from '../errors.ts';
import type { Format } from './output.ts';

/** The options every command takes (flags first, then the environment). */
export interface GlobalOptions {
  readonly output: Format;
  readonly brokers?: string;
  readonly namespace?: string;
  readonly coordinator: string;
  /** Sent as `Authorization: Bearer` to the coordinator, when it asks for one (API_AUTH=token). */
  readonly token?: string;
}

/** What a command works with: the cluster, the catalog, the coordinator, and where it prints. */
export class CommandContext {
  readonly output: Format;
  readonly coordinator: string;
  readonly #token: string | undefined;
  readonly #env: NodeJS.ProcessEnv;
  #connection: KafkaConnection | undefined;
  #registry: EventRegistry | undefined;

  constructor(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env) {
    this.output = options.output;
    this.coordinator = options.coordinator.replace(/\/+$/, '');
    this.#token = options.token;
    this.#env = {
      ...env,
      ...(options.brokers !== undefined && { KAFKA_BROKERS: options.brokers }),
      ...(options.namespace !== undefined && { KAFKA_NAMESPACE: options.namespace }),
    };
  }

  /** The cluster (KAFKA_BROKERS or --brokers, and the KAFKA_* security variables). */
  get connection(): KafkaConnection {
    this.#connection ??= kafkaConnectionFromEnv(this.#env, 'paxfleet-cli');
    return this.#connection;
  }

  get brokers(): string {
    return this.connection.brokers.join(',');
  }

  /** The catalog, in the Kafka namespace of KAFKA_NAMESPACE or --namespace. */
  get registry(): EventRegistry {
    const namespace = this.#env.KAFKA_NAMESPACE;
    this.#registry ??= eventRegistry(namespace ? { namespace } : {});
    return this.#registry;
  }

  /**
   * The object store the fleet keeps bodies in (BLOB_STORE and BLOB_S3_* as for the agents),
   * and the cold archive: that store, or the ARCHIVE_DIR directory when there is none.
   */
  stores(): { blobs: BlobStore | undefined; archive: BlobStore | undefined; bodies: Bodies } {
    const config = loadConfig(composeConfig('paxfleet', blobConfig, archiveDirConfig), this.#env);
    const blobs = blobStoreFromConfig(config);
    const archive =
      blobs || existsSync(config.ARCHIVE_DIR) ? archiveStore(blobs, config.ARCHIVE_DIR) : undefined;
    return { blobs, archive, bodies: bodiesFromConfig(config, blobs) };
  }

  /** The KAFKA_*, BLOB_* and MODEL_* variables, for processes this command starts. */
  get fleetEnv(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.#env).filter(
        (entry): entry is [string, string] =>
          /^(KAFKA|BLOB|MODEL)_/.test(entry[0]) && entry[1] !== undefined,
      ),
    );
  }

  /** A call to the coordinator's API; its 4xx replies become errors that say what it said. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = `${this.coordinator}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(10_000),
        headers: {
          ...(this.#token !== undefined && { authorization: `Bearer ${this.#token}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      const reason =
        (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
      throw new CliError(
        'CLI_UNREACHABLE',
        `cannot reach the coordinator at ${this.coordinator} (${reason}); set PAXFLEET_COORDINATOR_URL or --coordinator`,
        { cause },
      );
    }
    const text = await response.text();
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      reply = undefined;
    }
    if (response.ok && reply !== undefined) return reply as T;
    const said = (reply as { message?: string } | undefined)?.message ?? text.slice(0, 200);
    const retry = response.headers.get('retry-after');
    const hint =
      response.status === 401
        ? this.#token === undefined
          ? '; set PAXFLEET_API_TOKEN or --token'
          : '; PAXFLEET_API_TOKEN or --token is not one of its tokens'
        : '';
    throw new CliError(
      response.status === 404
        ? 'CLI_NOT_FOUND'
        : response.status === 400
          ? 'CLI_USAGE'
          : 'CLI_FAILED',
      `${method} ${path}: ${response.status} ${said}${retry ? ` (retry after ${retry} s)` : ''}${hint}`,
      { details: { status: response.status } },
    );
  }
}
