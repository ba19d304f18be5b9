import { Type } from '@sinclair/typebox';
import { configFragment, loadConfig, requiredWhen, type ConfigOf, type Env } from '@paxfleet/core';
import type { ModelProvider } from './model-provider.ts';
import { OfflineModelProvider } from './offline-provider.ts';
import { OpenAICompatibleProvider } from './openai-provider.ts';
import { ModelPrice } from './prices.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  RateLimitedProvider,
  type RateLimiterOptions,
} from './rate-limiter.ts';

export const MODEL_PROVIDERS = ['offline', 'openai'] as const;
export type ModelProviderKind = (typeof MODEL_PROVIDERS)[number];

export const DEFAULT_MODEL_TIMEOUT_MS = 30_000;
export const DEFAULT_MODEL_REQUESTS_PER_SECOND = 2;
/** The offline provider calls nothing outside the process: only the limiter's queueing is kept. */
export const DEFAULT_OFFLINE_REQUESTS_PER_SECOND = 1000;

const requiredForOpenAI = (variable: string) =>
  requiredWhen(
    variable,
    (config) => config.MODEL_PROVIDER === 'openai',
    'when MODEL_PROVIDER=openai',
  );

/**
 * Where an OpenAI-compatible API is and how to call it: the agents' chat model
 * (MODEL_PROVIDER=openai) and the coordinator's embeddings share these.
 */
export const modelApiProperties = {
  MODEL_BASE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/]+(/.*)?$',
      errorMessage: 'must be an http(s) URL',
      description: 'The OpenAI-compatible API root, e.g. https://api.openai.com/v1.',
    }),
  ),
  MODEL_API_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The bearer token of that API, if it needs one.',
    }),
  ),
  MODEL_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: DEFAULT_MODEL_TIMEOUT_MS,
    description: 'The longest one call may take.',
  }),
};

/** The variables of the model an agent calls. */
export const modelConfig = configFragment(
  'Model',
  {
    MODEL_PROVIDER: Type.Union(
      MODEL_PROVIDERS.map((kind) => Type.Literal(kind)),
      {
        default: 'offline',
        description:
          'offline: deterministic answers computed in the process; openai: any OpenAI-compatible chat completions API.',
      },
    ),
    ...modelApiProperties,
    MODEL_NAME: Type.Optional(
      Type.String({ minLength: 1, description: 'With openai: the model, e.g. gpt-4o-mini.' }),
    ),
    MODEL_REQUESTS_PER_SECOND: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        documentedDefault: `${DEFAULT_MODEL_REQUESTS_PER_SECOND} (openai), ${DEFAULT_OFFLINE_REQUESTS_PER_SECOND} (offline)`,
        description: 'Calls started per second by this instance (a token bucket).',
      }),
    ),
    MODEL_MAX_ATTEMPTS: Type.Integer({
      minimum: 1,
      default: DEFAULT_MAX_ATTEMPTS,
      description: 'Tries per call, with backoff, for timeouts, 429 and 5xx.',
    }),
    MODEL_PRICES: Type.Record(Type.String({ minLength: 1 }), ModelPrice, {
      default: {},
      errorMessage:
        'must be JSON: {"<model>": {"input": <USD per million prompt tokens>, "output": <USD per million completion tokens>}}',
      description:
        'The price table of the ledger (model-calls): USD per million tokens by model, as the provider names it. A model it does not list costs 0.',
    }),
    MODEL_OFFLINE_LATENCY_MS: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'With offline: simulated thinking time per call.',
    }),
    MODEL_OFFLINE_CALL_LOG: Type.Optional(
      Type.String({ minLength: 1, description: 'With offline: a file that gets a line per call.' }),
    ),
  },
  requiredForOpenAI('MODEL_BASE_URL'),
  requiredForOpenAI('MODEL_NAME'),
);

export type ModelConfig = ConfigOf<typeof modelConfig>;

export interface ModelProviderDeps {
  readonly fetch?: typeof fetch;
  /** Clock, sleep, random and the onRetry/onThrottle hooks for the limiter. */
  readonly limiter?: Omit<RateLimiterOptions, 'requestsPerSecond' | 'maxAttempts'>;
}

/** The provider the MODEL_* variables alone ask for (offline by default), always rate limited. */
export function modelProviderFromEnv(env: Env, deps: ModelProviderDeps = {}): ModelProvider {
  return modelProviderFromConfig(loadConfig(modelConfig, env), deps);
}

/** The provider a loaded configuration asks for, always rate limited. */
export function modelProviderFromConfig(
  config: ModelConfig,
  deps: ModelProviderDeps = {},
): ModelProvider {
  const inner =
    config.MODEL_PROVIDER === 'openai'
      ? new OpenAICompatibleProvider({
          baseUrl: config.MODEL_BASE_URL ?? '',
          model: config.MODEL_NAME ?? '',
          timeoutMs: config.MODEL_TIMEOUT_MS,
          ...(config.MODEL_API_KEY ? { apiKey: config.MODEL_API_KEY } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...(deps.limiter?.clock ? { clock: deps.limiter.clock } : {}),
        })
      : new OfflineModelProvider({
          latencyMs: config.MODEL_OFFLINE_LATENCY_MS,
          ...(config.MODEL_OFFLINE_CALL_LOG && { callLog: config.MODEL_OFFLINE_CALL_LOG }),
        });
  return new RateLimitedProvider(inner, {
    ...deps.limiter,
    requestsPerSecond:
      config.MODEL_REQUESTS_PER_SECOND ??
      (config.MODEL_PROVIDER === 'openai'
        ? DEFAULT_MODEL_REQUESTS_PER_SECOND
        : DEFAULT_OFFLINE_REQUESTS_PER_SECOND),
    maxAttempts: config.MODEL_MAX_ATTEMPTS,
  });
}
