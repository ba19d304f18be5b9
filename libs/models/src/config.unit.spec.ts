import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelConfigFromEnv, modelProviderFromEnv } from './config.ts';
import { ModelError } from './errors.ts';

function configError(env: Record<string, string>): ModelError {
  try {
    modelConfigFromEnv(env);
  } catch (error) {
    assert.ok(error instanceof ModelError);
    assert.equal(error.code, 'MODEL_CONFIG_INVALID');
    return error;
  }
  assert.fail('expected MODEL_CONFIG_INVALID');
}

describe('modelConfigFromEnv', () => {
  it('defaults to the offline provider', async () => {
    assert.deepEqual(modelConfigFromEnv({}), {
      provider: 'offline',
      timeoutMs: 30_000,
      requestsPerSecond: 1000,
      maxAttempts: 5,
      offlineLatencyMs: 0,
    });
    assert.equal(modelConfigFromEnv({ MODEL_OFFLINE_LATENCY_MS: '250' }).offlineLatencyMs, 250);
    assert.match(
      configError({ MODEL_OFFLINE_LATENCY_MS: 'slow' }).message,
      /MODEL_OFFLINE_LATENCY_MS must be a whole number of milliseconds \(got "slow"\)/,
    );
    const provider = modelProviderFromEnv({ MODEL_PROVIDER: '' });
    assert.equal(provider.name, 'offline');
    assert.equal(
      (await provider.complete({ prompt: 'Summarize Kafka' })).model,
      'offline-deterministic-1',
    );
  });

  it('reads an OpenAI-compatible endpoint, with or without a key', () => {
    const env = {
      MODEL_PROVIDER: 'openai',
      MODEL_BASE_URL: 'http://127.0.0.1:11434/v1',
      MODEL_NAME: 'llama3.2',
      MODEL_TIMEOUT_MS: '5000',
      MODEL_REQUESTS_PER_SECOND: '0.5',
      MODEL_MAX_ATTEMPTS: '3',
    };
    assert.deepEqual(modelConfigFromEnv(env), {
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.2',
      timeoutMs: 5000,
      requestsPerSecond: 0.5,
      maxAttempts: 3,
      offlineLatencyMs: 0,
    });
    assert.equal(modelConfigFromEnv({ ...env, MODEL_API_KEY: 'sk-1' }).apiKey, 'sk-1');
    assert.equal(modelProviderFromEnv(env).name, 'openai');
  });

  it('names the variable and the bad value', () => {
    const error = configError({
      MODEL_PROVIDER: 'openai',
      MODEL_BASE_URL: 'ftp://x',
      MODEL_NAME: 'gpt-4o-mini',
    });
    assert.match(error.message, /MODEL_BASE_URL must be an http\(s\) URL \(got "ftp:\/\/x"\)/);
    assert.match(
      configError({ MODEL_PROVIDER: 'anthropic' }).message,
      /MODEL_PROVIDER must be one of offline, openai \(got "anthropic"\)/,
    );
    assert.match(
      configError({ MODEL_TIMEOUT_MS: '30s' }).message,
      /MODEL_TIMEOUT_MS must be a positive integer \(got "30s"\)/,
    );
    assert.match(
      configError({ MODEL_REQUESTS_PER_SECOND: '0' }).message,
      /MODEL_REQUESTS_PER_SECOND must be a positive number/,
    );
    assert.match(
      configError({ MODEL_MAX_ATTEMPTS: '2.5' }).message,
      /MODEL_MAX_ATTEMPTS must be a positive integer/,
    );
  });

  it('requires the base URL and model name for openai, naming every problem at once', () => {
    const error = configError({ MODEL_PROVIDER: 'openai', MODEL_MAX_ATTEMPTS: '-1' });
    assert.match(error.message, /MODEL_BASE_URL is required/);
    assert.match(error.message, /MODEL_NAME is required/);
    assert.match(error.message, /MODEL_MAX_ATTEMPTS/);
    assert.deepEqual(
      (error.details.problems as { variable: string }[]).map((p) => p.variable).sort(),
      ['MODEL_BASE_URL', 'MODEL_MAX_ATTEMPTS', 'MODEL_NAME'],
    );
  });

  it('never puts the API key in the error', () => {
    const key = 'sk-secret-123456';
    const error = configError({
      MODEL_PROVIDER: 'openai',
      MODEL_BASE_URL: `ftp://user:${key}@host/${key}`,
      MODEL_API_KEY: key,
    });
    assert.match(error.message, /MODEL_BASE_URL/);
    assert.doesNotMatch(error.message, /sk-secret/);
    assert.doesNotMatch(JSON.stringify(error.details), /sk-secret/);
  });
});
