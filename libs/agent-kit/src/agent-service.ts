import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import {
  createKafka,
  kafkaConnectionFromEnv,
  waitForBroker,
  type KafkaConnection,
} from '@paxfleet/kafka';
import { eventRegistry, type TopicName } from '@paxfleet/events';
import { ConsumerLagMonitor } from '@paxfleet/lag';
import { modelProviderFromEnv } from '@paxfleet/models';
import {
  bootService,
  buildService,
  createLogger,
  loadConfig,
  ReadinessRegistry,
  runService,
  serviceConfigSchema,
  type Env,
  type ServiceLogger,
} from '@paxfleet/service';
import { AgentRuntime, type AgentDefinition } from './agent-runtime.ts';
import { blobConfigProperties, blobStoreFromConfig, bodiesFromConfig } from './blob-config.ts';

export interface AgentServiceOptions {
  /** Agent id and service name, as in the topic catalog's agents. */
  readonly name: string;
  /** Local default port; Kubernetes sets PORT=8080. */
  readonly port: number;
  readonly claims: boolean;
  /** Default maximum event age; MAX_EVENT_AGE_MS overrides it. */
  readonly maxEventAgeMs: number;
}

/** Events in flight per instance unless AGENT_CONCURRENCY says otherwise: model-bound work waits on the model. */
export const DEFAULT_AGENT_CONCURRENCY = 96;

export function agentConfigSchema(options: AgentServiceOptions) {
  return serviceConfigSchema(
    { serviceName: options.name, port: options.port },
    {
      MAX_EVENT_AGE_MS: Type.Integer({ minimum: 1, default: options.maxEventAgeMs }),
      ...blobConfigProperties(),
      HEARTBEAT_INTERVAL_MS: Type.Integer({ minimum: 100, default: 5000 }),
      AGENT_CONCURRENCY: Type.Integer({
        minimum: 1,
        maximum: 1024,
        default: DEFAULT_AGENT_CONCURRENCY,
      }),
      // Within the shutdown budget (25 s): drain, commit, leave the group.
      DRAIN_TIMEOUT_MS: Type.Integer({ minimum: 0, maximum: 20_000, default: 15_000 }),
      CLAIM_LEASE_MS: Type.Integer({ minimum: 1000, default: 30_000 }),
    },
  );
}

export interface AgentSetup {
  readonly config: ReturnType<typeof loadAgentConfig>;
  readonly logger: ServiceLogger;
  readonly env: Env;
  readonly connection: KafkaConnection;
  /** The registry /metrics serves: agent-specific metrics go here. */
  readonly metrics: Registry;
  /** /readyz checks the agent adds for its own dependencies. */
  readonly readiness: ReadinessRegistry;
  /** Runs once Kafka answers, before the agent loop starts, e.g. to start an extra reader. */
  readonly onStart: (run: () => unknown) => void;
  /** Runs on SIGTERM after the agent loop has drained, e.g. to close an extra reader. */
  readonly onShutdown: (name: string, run: () => unknown) => void;
}

function loadAgentConfig(options: AgentServiceOptions, env: Env) {
  return loadConfig(agentConfigSchema(options), env);
}

/**
 * The whole entry point of an agent process: config validated at boot (a bad
 * value stops it naming the variable), Kafka clients, the agent loop, and the
 * HTTP side (/healthz, /readyz, /metrics) on PORT, with a clean drain on SIGTERM.
 * A failure to start is one log line with its code and the fix, then exit 1.
 */
export function runAgentService<K extends TopicName>(
  options: AgentServiceOptions,
  define: (setup: AgentSetup) => AgentDefinition<K>,
  env: Env = process.env,
): Promise<void> {
  return bootService(options.name, () => startAgentService(options, define, env));
}

async function startAgentService<K extends TopicName>(
  options: AgentServiceOptions,
  define: (setup: AgentSetup) => AgentDefinition<K>,
  env: Env,
): Promise<void> {
  const config = loadAgentConfig(options, env);
  const logger = createLogger({ agent: config.AGENT_ID, level: config.LOG_LEVEL });
  const connection = kafkaConnectionFromEnv(env, `${config.AGENT_ID}-${config.INSTANCE_ID}`);
  const blobs = blobStoreFromConfig(config);
  const registry = eventRegistry();
  const group = registry.catalog.agent(options.name).group;
  const metrics = new Registry();
  const readiness = new ReadinessRegistry();
  const extraStart: (() => unknown)[] = [];
  const extraShutdown: { name: string; run: () => unknown }[] = [];
  const definition = define({
    config,
    logger,
    env,
    connection,
    metrics,
    readiness,
    onStart: (run) => extraStart.push(run),
    onShutdown: (name, run) => extraShutdown.push({ name, run }),
  });
  const runtime = new AgentRuntime(definition, {
    kafka: createKafka(connection, logger),
    connection,
    registry,
    metrics,
    logger,
    model: modelProviderFromEnv(env),
    bodies: bodiesFromConfig(config, blobs),
    instance: config.INSTANCE_ID,
    groupId: group,
    transactionalId: `${group}-${config.INSTANCE_ID}`,
    claims: options.claims,
    concurrency: config.AGENT_CONCURRENCY,
    drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
    leaseMs: config.CLAIM_LEASE_MS,
    heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
  });
  for (const [name, check] of Object.entries(runtime.readiness())) readiness.add(name, check);
  // This agent's own lag, in messages and seconds, on its /metrics.
  const lagMonitor = new ConsumerLagMonitor({
    connection,
    registry: metrics,
    groups: [group],
    onError: (error) =>
      logger.warn('lag refresh failed', { code: error.code, error: error.message }),
  });
  const app = await buildService({ config, logger, registry: metrics, readiness });
  await runService(app, {
    host: config.HOST,
    port: config.PORT,
    logger,
    start: async (signal) => {
      await blobs?.check();
      await waitForBroker(connection, { signal, logger });
      for (const run of extraStart) await run();
      await runtime.start();
      logger.info(`${options.name} agent consuming`, {
        group,
        max_event_age_ms: config.MAX_EVENT_AGE_MS,
        concurrency: config.AGENT_CONCURRENCY,
        blob_store: blobs?.location ?? 'none (bodies inline only)',
        blob_inline_max_bytes: config.BLOB_INLINE_MAX_BYTES,
      });
    },
    onShutdown: [
      { name: `${options.name} agent`, run: () => runtime.stop() },
      ...extraShutdown,
      { name: 'lag monitor', run: () => lagMonitor.close() },
      { name: 'blob store', run: () => blobs?.close() },
    ],
  });
}
