import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@paxfleet/core';
import { modelConfig, modelProviderFromEnv } from './config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(modelConfig, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error;
  }
  assert.fail('expected CONFIG_INVALID');
}

describe('modelConfig', () => {
  it('defaults to the offline provider', async () => {
    assert.deepEqual(loadConfig(modelConfig, {}), {
      MODEL_PROVIDER: 'offline',
      MODEL_TIMEOUT_MS: 30_000,
      MODEL_MAX_ATTEMPTS: 5,
      MODEL_OFFLINE_LATENCY_MS: 0,
      MODEL_PRICES: {},
    });
    assert.deepEqual(
      loadConfig(modelConfig, { MODEL_PRICES: '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}' })
        .MODEL_PRICES,
      { 'gpt-4o-mini': { input: 0.15, output: 0.6 } },
    );
    assert.match(
      configError({ MODEL_PRICES: '{"gpt-4o-mini": {"input": "cheap"}}' }).message,
      /MODEL_PRICES must be JSON: \{"<model>": \{"input"/,
    );
    assert.equal(
      loadConfig(modelConfig, { MODEL_OFFLINE_LATENCY_MS: '250' }).MODEL_OFFLINE_LATENCY_MS,
      250,
    );
    assert.match(
      configError({ MODEL_OFFLINE_LATENCY_MS: 'slow' }).message,
      /MODEL_OFFLINE_LATENCY_MS must be an integer at least 0 \(got "slow"\)/,
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
    assert.deepEqual(loadConfig(modelConfig, env), {
      MODEL_PROVIDER: 'openai',
      MODEL_BASE_URL: 'http://127.0.0.1:11434/v1',
      MODEL_NAME: 'llama3.2',
      MODEL_TIMEOUT_MS: 5000,
      MODEL_REQUESTS_PER_SECOND: 0.5,
      MODEL_MAX_ATTEMPTS: 3,
      MODEL_OFFLINE_LATENCY_MS: 0,
      MODEL_PRICES: {},
    });
    assert.equal(loadConfig(modelConfig, { ...env, MODEL_API_KEY: 'sk-1' }).MODEL_API_KEY, 'sk-1');
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
      /MODEL_TIMEOUT_MS must be an integer at least 1 \(got "30s"\)/,
    );
    assert.match(
      configError({ MODEL_REQUESTS_PER_SECOND: '0' }).message,
      /MODEL_REQUESTS_PER_SECOND must be a number greater than 0/,
    );
    assert.match(
      configError({ MODEL_MAX_ATTEMPTS: '2.5' }).message,
      /MODEL_MAX_ATTEMPTS must be an integer at least 1/,
    );
  });

  it('requires the base URL and model name for openai, naming every problem at once', () => {
    const error = configError({ MODEL_PROVIDER: 'openai', MODEL_MAX_ATTEMPTS: '-1' });
    assert.match(error.message, /MODEL_BASE_URL is required when MODEL_PROVIDER=openai/);
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
