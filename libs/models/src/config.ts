import { ModelError } from './errors.ts';
import { scrub } from './http-errors.ts';
import type { ModelProvider } from './model-provider.ts';
import { OfflineModelProvider } from './offline-provider.ts';
import { OpenAICompatibleProvider } from './openai-provider.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  RateLimitedProvider,
  type RateLimiterOptions,
} from './rate-limiter.ts';

/** The process environment, or any stand-in for it. */
export type ModelEnv = Readonly<Record<string, string | undefined>>;

export const MODEL_PROVIDERS = ['offline', 'openai'] as const;
export type ModelProviderKind = (typeof MODEL_PROVIDERS)[number];

export interface ModelConfig {
  readonly provider: ModelProviderKind;
  /** Only for openai. */
  readonly baseUrl?: string;
  /** Only for openai. */
  readonly model?: string;
  /** Never log this. */
  readonly apiKey?: string;
  readonly timeoutMs: number;
  readonly requestsPerSecond: number;
  readonly maxAttempts: number;
  /** Only for offline: simulated thinking time per call. */
  readonly offlineLatencyMs: number;
  /** Only for offline: a file that gets a line per call (MODEL_OFFLINE_CALL_LOG). */
  readonly offlineCallLog?: string;
}

export const DEFAULT_MODEL_TIMEOUT_MS = 30_000;
export const DEFAULT_MODEL_REQUESTS_PER_SECOND = 2;
/** The offline provider calls nothing outside the process: only the limiter's queueing is kept. */
export const DEFAULT_OFFLINE_REQUESTS_PER_SECOND = 1000;

/**
 * Reads MODEL_* from env. An empty value counts as unset. Throws one ModelError
 * (MODEL_CONFIG_INVALID) naming every bad variable; the API key never appears in it.
 */
export function modelConfigFromEnv(env: ModelEnv): ModelConfig {
  const problems: { variable: string; problem: string }[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const number = (name: string, fallback: number, integer: boolean): number => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      const kind = integer ? 'a positive integer' : 'a positive number';
      problems.push({
        variable: name,
        problem: `${name} must be ${kind} (got ${JSON.stringify(text)})`,
      });
      return fallback;
    }
    return value;
  };

  const providerText = read('MODEL_PROVIDER') ?? 'offline';
  const provider = MODEL_PROVIDERS.find((kind) => kind === providerText.toLowerCase());
  if (provider === undefined) {
    problems.push({
      variable: 'MODEL_PROVIDER',
      problem: `MODEL_PROVIDER must be one of ${MODEL_PROVIDERS.join(', ')} (got ${JSON.stringify(providerText)})`,
    });
  }
  const timeoutMs = number('MODEL_TIMEOUT_MS', DEFAULT_MODEL_TIMEOUT_MS, true);
  const requestsPerSecond = number(
    'MODEL_REQUESTS_PER_SECOND',
    provider === 'openai' ? DEFAULT_MODEL_REQUESTS_PER_SECOND : DEFAULT_OFFLINE_REQUESTS_PER_SECOND,
    false,
  );
  const latencyText = read('MODEL_OFFLINE_LATENCY_MS');
  const offlineLatencyMs = latencyText === undefined ? 0 : Number(latencyText);
  if (!Number.isInteger(offlineLatencyMs) || offlineLatencyMs < 0) {
    problems.push({
      variable: 'MODEL_OFFLINE_LATENCY_MS',
      problem: `MODEL_OFFLINE_LATENCY_MS must be a whole number of milliseconds (got ${JSON.stringify(latencyText)})`,
    });
  }
  const maxAttempts = number('MODEL_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, true);
  const baseUrl = read('MODEL_BASE_URL');
  const model = read('MODEL_NAME');
  const apiKey = read('MODEL_API_KEY');
  const offlineCallLog = read('MODEL_OFFLINE_CALL_LOG');

  if (provider === 'openai') {
    if (baseUrl === undefined) {
      problems.push({
        variable: 'MODEL_BASE_URL',
        problem: 'MODEL_BASE_URL is required when MODEL_PROVIDER=openai',
      });
    } else if (!isHttpUrl(baseUrl)) {
      problems.push({
        variable: 'MODEL_BASE_URL',
        problem: `MODEL_BASE_URL must be an http(s) URL (got ${JSON.stringify(withoutUserInfo(baseUrl))})`,
      });
    }
    if (model === undefined) {
      problems.push({
        variable: 'MODEL_NAME',
        problem: 'MODEL_NAME is required when MODEL_PROVIDER=openai',
      });
    }
  }

  if (problems.length > 0 || provider === undefined) {
    const safe = problems.map((p) => ({ ...p, problem: scrub(p.problem, [apiKey]) }));
    throw new ModelError('MODEL_CONFIG_INVALID', safe.map((p) => p.problem).join('; '), {
      details: { problems: safe },
    });
  }
  return {
    provider,
    ...(provider === 'openai' ? { baseUrl, model, ...(apiKey ? { apiKey } : {}) } : {}),
    timeoutMs,
    requestsPerSecond,
    maxAttempts,
    offlineLatencyMs,
    ...(offlineCallLog && { offlineCallLog }),
  };
}

export interface ModelProviderDeps {
  readonly fetch?: typeof fetch;
  /** Clock, sleep, random and the onRetry/onThrottle hooks for the limiter. */
  readonly limiter?: Omit<RateLimiterOptions, 'requestsPerSecond' | 'maxAttempts'>;
}

/** The provider the environment asks for (offline by default), always rate limited. */
export function modelProviderFromEnv(env: ModelEnv, deps: ModelProviderDeps = {}): ModelProvider {
  return modelProviderFromConfig(modelConfigFromEnv(env), deps);
}

export function modelProviderFromConfig(
  config: ModelConfig,
  deps: ModelProviderDeps = {},
): ModelProvider {
  const inner =
    config.provider === 'openai'
      ? new OpenAICompatibleProvider({
          baseUrl: config.baseUrl ?? '',
          model: config.model ?? '',
          timeoutMs: config.timeoutMs,
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...(deps.limiter?.clock ? { clock: deps.limiter.clock } : {}),
        })
      : new OfflineModelProvider({
          latencyMs: config.offlineLatencyMs,
          ...(config.offlineCallLog && { callLog: config.offlineCallLog }),
        });
  return new RateLimitedProvider(inner, {
    ...deps.limiter,
    requestsPerSecond: config.requestsPerSecond,
    maxAttempts: config.maxAttempts,
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A URL in an error message loses any user:password@ it carried. */
function withoutUserInfo(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/, '//');
}
