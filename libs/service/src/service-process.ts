import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import {
  composeConfig,
  loadConfig,
  unknownVariables,
  type ConfigFragment,
  type Env,
} from '@paxfleet/core';
import { eventRegistry, type EventRegistry } from '@paxfleet/events';
import {
  createKafka,
  kafkaConfig,
  kafkaConnectionFromConfig,
  waitForBroker,
  type Kafka,
  type KafkaConfig,
  type KafkaConnection,
} from '@paxfleet/kafka';
import { ConsumerLagMonitor } from '@paxfleet/lag';
import { buildService } from './app.ts';
import { bootService } from './boot.ts';
import { ReadinessRegistry } from './health.ts';
import type { OpenApiInfo } from './openapi.ts';
import type { ApiAuthOptions } from './api-auth.ts';
import { apiAccess, isLoopback, type ApiConfig } from './api-config.ts';
import { createLogger, type ServiceLogger } from './logger.ts';
import { runService, type RunningService, type ShutdownHook } from './service.ts';
import { serviceConfig, type ServiceConfig } from './service-config.ts';

export interface ServiceProcessOptions<C> {
  /** The service's name, as in the topic catalog's agents. */
  readonly name: string;
  /** Local default port; Kubernetes sets PORT=8080. */
  readonly port: number;
  /** The service's own variables, beside the ones every service reads (service, Kafka). */
  readonly config: ConfigFragment<C>;
  /**
   * Whose lag the service's /metrics shows: its own group, or every group (the coordinator);
   * named as the catalog names them (the monitor applies KAFKA_NAMESPACE).
   */
  readonly lag: {
    readonly groups: readonly string[] | 'all';
    readonly endOffsetTopics?: readonly string[];
  };
}

/** What a service's setup gets: the process's configuration, logger and shared clients. */
export interface ServiceContext<C> {
  readonly config: Readonly<C> & ServiceConfig & KafkaConfig;
  readonly logger: ServiceLogger;
  readonly connection: KafkaConnection;
  /** The process's one Kafka client factory (librdkafka instances are made from it). */
  readonly kafka: Kafka;
  /**
   * The schemas and catalog in the process's Kafka namespace (KAFKA_NAMESPACE): every
   * producer, processor and reader the service makes takes this one, so a service in a
   * namespace touches only `<namespace>.*` topics, groups and transactional ids.
   */
  readonly registry: EventRegistry;
  /** The registry /metrics serves. */
  readonly metrics: Registry;
  /** The checks /readyz runs. */
  readonly readiness: ReadinessRegistry;
  /** The consumer lag the service's /metrics shows, and backlog() for its own decisions. */
  readonly lag: ConsumerLagMonitor;
  /** Runs once the broker answers, in the order added (connect, join, follow). */
  readonly onStart: (run: () => unknown) => void;
  /** Runs on SIGTERM, in the order added, before the lag monitor closes. */
  readonly onShutdown: (name: string, run: () => unknown) => void;
  /**
   * Stops the service for an error it cannot get past while running (a processor the
   * broker's ACLs refuse): one line with the code and fix, the shutdown hooks, exit 1.
   */
  readonly fail: (error: unknown) => void;
}

/** What a setup may add to the HTTP side: the service's own routes and their API document. */
export interface ServiceSetup {
  readonly routes?: (app: FastifyInstance) => void | Promise<void>;
  /** Serve /openapi.json and /docs, describing every route (see buildService). */
  readonly openapi?: OpenApiInfo;
  /**
   * The service takes requests beyond its probes: its configuration composes apiConfig,
   * and API_AUTH, API_READ_AUTH and API_BODY_LIMIT_BYTES guard its routes.
   */
  readonly api?: Omit<ApiAuthOptions, 'access'> & { readonly config: ApiConfig };
}

/** Every variable a service process reads: every service's, Kafka's and its own. */
export function serviceProcessConfig<C>(
  options: Pick<ServiceProcessOptions<C>, 'name' | 'port' | 'config'>,
) {
  return composeConfig(
    options.name,
    serviceConfig({ serviceName: options.name, port: options.port }),
    kafkaConfig,
    options.config,
  );
}

/**
 * The one way a paxfleet service process starts, the coordinator's and every agent's:
 * the environment read once against all the service's variables (every bad one named in
 * one error; a look-alike of a known name logged as a warning), the logger, the Kafka
 * connection and client, /metrics with the consumer lag, /readyz, the HTTP side on PORT,
 * the broker awaited, the setup's start hooks, and a drain in order on SIGTERM. A failure
 * to start is one log line with its code and the fix, then exit 1.
 */
export function runServiceProcess<C>(
  options: ServiceProcessOptions<C>,
  setup: (context: ServiceContext<C>) => ServiceSetup | void | Promise<ServiceSetup | void>,
  env: Env = process.env,
): Promise<void> {
  return bootService(options.name, async () => {
    const fragment = serviceProcessConfig(options);
    const config = loadConfig(fragment, env) as ServiceContext<C>['config'];
    const logger = createLogger({ agent: config.AGENT_ID, level: config.LOG_LEVEL });
    for (const { variable, suggestion } of unknownVariables(fragment, env)) {
      logger.warn('unknown variable ignored', {
        variable,
        ...(suggestion && { did_you_mean: suggestion }),
      });
    }
    const connection = kafkaConnectionFromConfig(
      config,
      `${config.AGENT_ID}-${config.INSTANCE_ID}`,
    );
    const metrics = new Registry();
    const readiness = new ReadinessRegistry();
    const namespace = config.KAFKA_NAMESPACE;
    if (namespace !== undefined)
      logger.info(
        'running in a Kafka namespace: every topic, group and transactional id is <namespace>.<name>',
        { namespace },
      );
    const lag = new ConsumerLagMonitor({
      connection,
      registry: metrics,
      groups: options.lag.groups,
      ...(namespace !== undefined && { namespace }),
      ...(options.lag.endOffsetTopics && { endOffsetTopics: options.lag.endOffsetTopics }),
      onError: (error) =>
        logger.warn('lag refresh failed', { code: error.code, error: error.message }),
    });
    // A failure reported during setup or start waits for the service to be running.
    const running = Promise.withResolvers<RunningService>();
    const fail = (error: unknown) => void running.promise.then((service) => service.fail(error));
    const starts: (() => unknown)[] = [];
    const shutdowns: ShutdownHook[] = [];
    const extra = await setup({
      config,
      logger,
      connection,
      kafka: createKafka(connection, logger),
      registry: eventRegistry(namespace === undefined ? {} : { namespace }),
      metrics,
      readiness,
      lag,
      onStart: (run) => starts.push(run),
      onShutdown: (name, run) => shutdowns.push({ name, run }),
      fail,
    });
    const app = await buildService({
      config,
      logger,
      registry: metrics,
      readiness,
      ...(extra?.routes && { routes: extra.routes }),
      ...(extra?.openapi && { openapi: extra.openapi }),
      ...(extra?.api && { api: httpApi(extra.api, config.HOST, logger) }),
    });
    running.resolve(
      await runService(app, {
        host: config.HOST,
        port: config.PORT,
        logger,
        start: async (signal) => {
          await waitForBroker(connection, { signal, logger });
          for (const run of starts) await run();
        },
        onShutdown: [...shutdowns, { name: 'lag monitor', run: () => lag.close() }],
      }),
    );
  });
}

/** The guard a service's API configuration asks for, said once in the log as the service starts. */
function httpApi(
  api: NonNullable<ServiceSetup['api']>,
  host: string,
  logger: ServiceLogger,
): ApiAuthOptions & { readonly bodyLimit: number } {
  const { config, ...options } = api;
  const access = apiAccess({ ...config, HOST: host });
  logger.info('HTTP API access', {
    writes: access.write,
    reads: access.read,
    tokens: access.tokens.length,
    body_limit_bytes: config.API_BODY_LIMIT_BYTES,
  });
  // Chosen on purpose (behind a proxy that authenticates), but said, since anyone who
  // reaches the port may then submit work.
  if (access.write === 'none' && !isLoopback(host))
    logger.warn('the HTTP API takes writes from anyone who reaches it (API_AUTH=none)', {
      host,
    });
  return { ...options, access, bodyLimit: config.API_BODY_LIMIT_BYTES };
}
