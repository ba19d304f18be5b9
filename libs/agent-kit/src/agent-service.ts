import { Type } from '@sinclair/typebox';
import {
  composeConfig,
  configFragment,
  requiredWhen,
  type ConfigFragment,
  type ConfigOf,
  type Env,
} from '@paxfleet/core';
import { claimConfig, type ClaimConfig } from '@paxfleet/claims';
import {
  eventRegistry,
  namespacedBlobStore,
  type AgentSpec,
  type TopicName,
} from '@paxfleet/events';
import {
  modelConfig,
  modelProviderFromConfig,
  PriceTable,
  type ModelConfig,
} from '@paxfleet/models';
import { runServiceProcess, type ServiceContext } from '@paxfleet/service';
import { AgentRuntime, type AgentDefinition } from './agent-runtime.ts';
import {
  blobConfig,
  blobStoreFromConfig,
  bodiesFromConfig,
  type BlobConfig,
} from './blob-config.ts';

/** Events in flight per instance unless AGENT_CONCURRENCY says otherwise: model-bound work waits on the model. */
export const DEFAULT_AGENT_CONCURRENCY = 96;

/** The variables every agent reads, with its declared maximum event age as the default. */
export function agentConfig(agent: AgentSpec) {
  return configFragment(
    'Every agent',
    {
      MAX_EVENT_AGE_MS: Type.Integer({
        minimum: 1,
        default: agent.maxEventAgeMs ?? 3_600_000,
        documentedDefault: "the agent's maxEventAge in schemas/topics.json",
        description: 'An input older than this is stale: the agent skips or defers it.',
      }),
      HEARTBEAT_INTERVAL_MS: Type.Integer({
        minimum: 100,
        default: 5000,
        description: 'How often the agent says on agent-progress that it is alive.',
      }),
      AGENT_CONCURRENCY: Type.Integer({
        minimum: 1,
        maximum: 1024,
        default: DEFAULT_AGENT_CONCURRENCY,
        description: 'Events in flight at once in this instance.',
      }),
      DRAIN_TIMEOUT_MS: Type.Integer({
        minimum: 0,
        maximum: 20_000,
        default: 15_000,
        description:
          'On SIGTERM, how long events in flight may finish before the rest is left to the next owner (within the 25 s shutdown budget).',
      }),
      AGENT_BUDGET_TOKENS: Type.Optional(
        Type.Integer({
          minimum: 1,
          description:
            'Model tokens (prompt and completion) the agent may use per budget window, all its instances together; over it, it takes no work until the window has room.',
        }),
      ),
      AGENT_BUDGET_USD: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          description:
            'US dollars (by MODEL_PRICES) the agent may spend on its model per budget window, all its instances together.',
        }),
      ),
      AGENT_PROMPT_NOTE: Type.Optional(
        Type.String({
          minLength: 1,
          description:
            'Appended to the system message of every model call the agent makes: house style, or a prompt change to try in a shadow replay.',
        }),
      ),
      MODEL_REPLAY: Type.Boolean({
        default: false,
        description:
          'Shadow replay only (needs KAFKA_NAMESPACE): each model call is answered from the recordings the replay command put on the namespace’s model-calls (same agent and prompt); a prompt with none goes to the model.',
      }),
      AGENT_BUDGET_WINDOW_MS: Type.Integer({
        minimum: 1000,
        default: 3_600_000,
        description: 'The sliding window the budget counts spend over: an hour.',
      }),
    },
    // Recordings are only ever read in a shadow namespace, never beside the live fleet.
    requiredWhen(
      'KAFKA_NAMESPACE',
      (config) => config.MODEL_REPLAY === true,
      'when MODEL_REPLAY is true',
    ),
  );
}

/** What an agent process reads: every service's and agent's variables, and the agent's own (C). */
type AgentConfig<C> = ServiceContext<
  C & ConfigOf<ReturnType<typeof agentConfig>> & BlobConfig & ModelConfig & Partial<ClaimConfig>
>['config'];

export interface AgentSetup<C> {
  readonly config: AgentConfig<C>;
  /** The agent's declaration in the topic catalog (its format, if it writes). */
  readonly agent: AgentSpec;
  readonly logger: ServiceContext<unknown>['logger'];
  readonly connection: ServiceContext<unknown>['connection'];
  /** The schemas and catalog in the process's Kafka namespace: for any other reader or producer the agent makes. */
  readonly registry: ServiceContext<unknown>['registry'];
  /** The registry /metrics serves: agent-specific metrics go here. */
  readonly metrics: ServiceContext<unknown>['metrics'];
  /** /readyz checks the agent adds for its own dependencies. */
  readonly readiness: ServiceContext<unknown>['readiness'];
  /** Runs once Kafka answers, before the agent loop starts, e.g. to start an extra reader. */
  readonly onStart: (run: () => unknown) => void;
  /** Runs on SIGTERM after the agent loop has drained, e.g. to close an extra reader. */
  readonly onShutdown: (name: string, run: () => unknown) => void;
}

const noSettings: ConfigFragment<Record<never, never>> = configFragment('none', {});

/** What an agent reads besides every service's variables: every agent's, claims' if it claims, the blob store's, the model's and its own. */
export function agentServiceConfig<C = Record<never, never>>(
  agent: AgentSpec,
  own?: ConfigFragment<C>,
) {
  const claiming = agent.claims ? [claimConfig] : [];
  return composeConfig(
    agent.name,
    agentConfig(agent),
    ...claiming,
    blobConfig,
    modelConfig,
    own ?? (noSettings as ConfigFragment<C>),
  );
}

/**
 * The whole entry point of an agent process, declared by its name in the topic catalog:
 * the service process (config, Kafka, /healthz, /readyz, /metrics with its lag, drain on
 * SIGTERM) running the agent loop. `config` adds the agent's own variables.
 */
export function runAgentService<K extends TopicName, C = Record<never, never>>(
  name: string,
  define: (setup: AgentSetup<C>) => AgentDefinition<K>,
  options: { readonly config?: ConfigFragment<C>; readonly env?: Env } = {},
): Promise<void> {
  const agent = eventRegistry().catalog.agent(name);
  return runServiceProcess(
    {
      name,
      port: agent.port,
      config: agentServiceConfig(agent, options.config),
      lag: { groups: [agent.group] },
    },
    (context) => {
      const config = context.config as unknown as AgentConfig<C>;
      const configured = blobStoreFromConfig(config);
      const namespace = context.registry.namespace;
      // In a namespace (a shadow replay) the agent's blobs never land on live keys.
      const blobs =
        configured && namespace !== undefined
          ? namespacedBlobStore(configured, namespace)
          : configured;
      const extraStart: (() => unknown)[] = [];
      const extraShutdown: { name: string; run: () => unknown }[] = [];
      const definition = define({
        config,
        agent,
        logger: context.logger,
        connection: context.connection,
        registry: context.registry,
        metrics: context.metrics,
        readiness: context.readiness,
        onStart: (run) => extraStart.push(run),
        onShutdown: (hook, run) => extraShutdown.push({ name: hook, run }),
      });
      const runtime = new AgentRuntime(definition, {
        kafka: context.kafka,
        connection: context.connection,
        registry: context.registry,
        metrics: context.metrics,
        logger: context.logger,
        model: modelProviderFromConfig(config),
        prices: new PriceTable(config.MODEL_PRICES),
        replay: config.MODEL_REPLAY,
        ...(config.AGENT_PROMPT_NOTE && { promptNote: config.AGENT_PROMPT_NOTE }),
        budget: {
          windowMs: config.AGENT_BUDGET_WINDOW_MS,
          ...(config.AGENT_BUDGET_TOKENS !== undefined && { tokens: config.AGENT_BUDGET_TOKENS }),
          ...(config.AGENT_BUDGET_USD !== undefined && { usd: config.AGENT_BUDGET_USD }),
        },
        bodies: bodiesFromConfig(config, blobs),
        instance: config.INSTANCE_ID,
        groupId: agent.group,
        transactionalId: `${agent.group}-${config.INSTANCE_ID}`,
        claims: agent.claims,
        concurrency: config.AGENT_CONCURRENCY,
        drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
        ...(config.CLAIM_LEASE_MS !== undefined && { leaseMs: config.CLAIM_LEASE_MS }),
        heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
        onRefused: (error) => context.fail(error),
      });
      for (const [check, run] of Object.entries(runtime.readiness()))
        context.readiness.add(check, run);
      context.onStart(async () => {
        await blobs?.check();
        for (const run of extraStart) await run();
        await runtime.start();
        context.logger.info(`${name} agent consuming`, {
          group: agent.group,
          max_event_age_ms: config.MAX_EVENT_AGE_MS,
          concurrency: config.AGENT_CONCURRENCY,
          blob_store: blobs?.location ?? 'none (bodies inline only)',
          blob_inline_max_bytes: config.BLOB_INLINE_MAX_BYTES,
        });
      });
      context.onShutdown(`${name} agent`, () => runtime.stop());
      for (const hook of extraShutdown) context.onShutdown(hook.name, hook.run);
      context.onShutdown('blob store', () => blobs?.close());
    },
    options.env,
  );
}
