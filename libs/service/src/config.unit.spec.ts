import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { Type, type TObject } from '@sinclair/typebox';
import { loadConfig, serviceConfigSchema, type Env } from './config.ts';
import { ServiceError } from './errors.ts';

const defaults = { serviceName: 'research', port: 8081 };
const schema = serviceConfigSchema(defaults, {
  MAX_EVENT_AGE_SECONDS: Type.Integer({ minimum: 1, default: 3600 }),
  MODEL_API_KEY: Type.Optional(Type.String({ minLength: 8 })),
  OFFLINE: Type.Boolean({ default: true }),
  TOPICS: Type.Array(Type.String({ pattern: '^[a-z-]+$' }), { minItems: 1, default: ['a'] }),
  RATE: Type.Number({ exclusiveMinimum: 0, default: 1.5 }),
});
const required = serviceConfigSchema(defaults, { MODEL_URL: Type.String({ minLength: 1 }) });

function configError(env: Env, from: TObject = schema): ServiceError {
  try {
    loadConfig(from, env);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'SERVICE_CONFIG_INVALID');
    return error;
  }
  assert.fail('expected a ServiceError');
}

describe('loadConfig', () => {
  it('applies the defaults', () => {
    const config = loadConfig(schema, {});
    assert.deepEqual(config, {
      SERVICE_NAME: 'research',
      AGENT_ID: 'research',
      HOST: '0.0.0.0',
      PORT: 8081,
      LOG_LEVEL: 'info',
      INSTANCE_ID: hostname(),
      MAX_EVENT_AGE_SECONDS: 3600,
      OFFLINE: true,
      TOPICS: ['a'],
      RATE: 1.5,
    });
    assert.ok(Object.isFrozen(config));
  });

  it('reads and converts variables, ignoring the ones the schema does not name', () => {
    const config = loadConfig(schema, {
      PATH: '/usr/bin',
      KAFKA_BROKERS: '127.0.0.1:9092',
      AGENT_ID: 'research-2',
      HOST: '127.0.0.1',
      PORT: '9000',
      LOG_LEVEL: 'debug',
      INSTANCE_ID: 'research-7f9c',
      OFFLINE: 'false',
      TOPICS: 'research-tasks, claim-requests',
      RATE: '0.25',
      MODEL_API_KEY: 'sk-12345678',
    });
    assert.equal(config.AGENT_ID, 'research-2');
    assert.equal(config.PORT, 9000);
    assert.equal(config.LOG_LEVEL, 'debug');
    assert.equal(config.OFFLINE, false);
    assert.deepEqual(config.TOPICS, ['research-tasks', 'claim-requests']);
    assert.equal(config.RATE, 0.25);
    assert.equal(config.MODEL_API_KEY, 'sk-12345678');
    assert.equal('PATH' in config, false);
    assert.equal('KAFKA_BROKERS' in config, false);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig(schema, { PORT: '', LOG_LEVEL: ' ' }).PORT, 8081);
  });

  it('names a missing required variable', () => {
    const error = configError({}, required);
    assert.equal(error.details.variable, 'MODEL_URL');
    assert.match(
      error.message,
      /^SERVICE_CONFIG_INVALID: MODEL_URL is required \(must not be empty\)$/,
    );
  });

  it('names a variable of the wrong type', () => {
    const error = configError({ PORT: 'abc' });
    assert.equal(error.details.variable, 'PORT');
    assert.match(error.message, /PORT must be an integer between 1 and 65535 \(got "abc"\)/);
  });

  it('does not truncate a fractional or exponent value into an integer', () => {
    assert.match(configError({ PORT: '80.5' }).message, /PORT must be an integer .*\(got "80.5"\)/);
    assert.match(configError({ PORT: '1e3' }).message, /PORT .*\(got "1e3"\)/);
  });

  it('names a variable out of range', () => {
    assert.match(
      configError({ PORT: '70000' }).message,
      /PORT must be an integer between 1 and 65535 \(got "70000"\)/,
    );
    assert.match(
      configError({ MAX_EVENT_AGE_SECONDS: '0' }).message,
      /MAX_EVENT_AGE_SECONDS must be an integer at least 1 \(got "0"\)/,
    );
    assert.match(configError({ RATE: '0' }).message, /RATE must be a number greater than 0/);
  });

  it('names a bad enum value and lists the allowed ones', () => {
    const error = configError({ LOG_LEVEL: 'verbose' });
    assert.equal(error.details.variable, 'LOG_LEVEL');
    assert.match(
      error.message,
      /LOG_LEVEL must be one of error, warn, info, debug \(got "verbose"\)/,
    );
  });

  it('explains identifiers, booleans and list entries', () => {
    assert.match(configError({ AGENT_ID: 'bad id' }).message, /AGENT_ID must be letters, digits/);
    assert.match(configError({ OFFLINE: 'yes' }).message, /OFFLINE must be true or false/);
    assert.match(
      configError({ TOPICS: 'ok,Not_OK' }).message,
      /TOPICS must be a non-empty comma-separated list, each entry must match \^\[a-z-\]\+\$/,
    );
  });

  it('reports every bad variable at once', () => {
    const error = configError({ PORT: '0', LOG_LEVEL: 'loud' });
    assert.match(error.message, /PORT .*; LOG_LEVEL /);
    assert.deepEqual(
      (error.details.problems as { variable: string }[]).map((problem) => problem.variable),
      ['PORT', 'LOG_LEVEL'],
    );
  });

  it('never echoes the value of a secret', () => {
    const error = configError({ MODEL_API_KEY: 'short' });
    assert.match(error.message, /MODEL_API_KEY must be at least 8 characters long/);
    assert.doesNotMatch(error.message, /short/);
  });

  it('blames a default the service got wrong', () => {
    const broken = serviceConfigSchema({ serviceName: 'x', port: 0 });
    assert.match(configError({}, broken).message, /PORT .*\(got the default 0\)/);
  });
});
