import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import {
  ConfigError,
  composeConfig,
  configFragment,
  configReference,
  loadConfig,
  requiredWhen,
  unknownVariables,
  type ConfigFragment,
  type Env,
} from './config.ts';

const identifier = {
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  errorMessage: 'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
};
const base = configFragment('Every service', {
  AGENT_ID: Type.String({ ...identifier, default: 'research' }),
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8081 }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
    { default: 'info' },
  ),
});
const own = configFragment('Research', {
  MAX_EVENT_AGE_SECONDS: Type.Integer({ minimum: 1, default: 3600 }),
  MODEL_API_KEY: Type.Optional(Type.String({ minLength: 8 })),
  OFFLINE: Type.Boolean({ default: true }),
  TOPICS: Type.Array(Type.String({ pattern: '^[a-z-]+$' }), { minItems: 1, default: ['a'] }),
  RATE: Type.Number({ exclusiveMinimum: 0, default: 1.5 }),
});
const schema = composeConfig('research', base, own);
const required = configFragment('Model', { MODEL_URL: Type.String({ minLength: 1 }) });

function configError(env: Env, from: ConfigFragment<unknown> = schema): ConfigError {
  try {
    loadConfig(from, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults', () => {
    const config = loadConfig(schema, {});
    assert.deepEqual(config, {
      AGENT_ID: 'research',
      PORT: 8081,
      LOG_LEVEL: 'info',
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
      PORT: '9000',
      LOG_LEVEL: 'debug',
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
    assert.match(error.message, /^CONFIG_INVALID: MODEL_URL is required \(must not be empty\)$/);
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
    const broken = configFragment('Broken', { PORT: Type.Integer({ minimum: 1, default: 0 }) });
    assert.match(configError({}, broken).message, /PORT .*\(got the default 0\)/);
  });
});

describe('rules across variables', () => {
  const sasl = configFragment(
    'Kafka',
    {
      KAFKA_SECURITY_PROTOCOL: Type.Union([Type.Literal('plaintext'), Type.Literal('sasl_ssl')], {
        default: 'plaintext',
      }),
      KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
      KAFKA_PORT: Type.Integer({ default: 9092 }),
    },
    requiredWhen(
      'KAFKA_SASL_USERNAME',
      (config) => config.KAFKA_SECURITY_PROTOCOL === 'sasl_ssl',
      'when KAFKA_SECURITY_PROTOCOL is sasl_ssl',
    ),
  );

  it('reports a broken rule together with every bad variable', () => {
    const error = configError(
      { KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_PORT: 'x', PORT: '0' },
      composeConfig('service', base, sasl),
    );
    assert.deepEqual(
      (error.details.problems as { variable: string }[]).map((problem) => problem.variable),
      ['PORT', 'KAFKA_PORT', 'KAFKA_SASL_USERNAME'],
    );
    assert.match(
      error.message,
      /KAFKA_SASL_USERNAME is required when KAFKA_SECURITY_PROTOCOL is sasl_ssl/,
    );
  });

  it('passes when the rule holds', () => {
    const config = loadConfig(sasl, {
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_USERNAME: 'me',
    });
    assert.equal(config.KAFKA_SASL_USERNAME, 'me');
  });
});

describe('composeConfig', () => {
  it('keeps the parts for the reference and refuses a variable declared twice', () => {
    assert.deepEqual(
      schema.parts.map((part) => part.title),
      ['Every service', 'Research'],
    );
    assert.throws(() => composeConfig('twice', base, base), /AGENT_ID is declared by two/);
  });
});

describe('unknownVariables', () => {
  it('reports names that share a first word with a known one, with the likely intended one', () => {
    assert.deepEqual(
      unknownVariables(schema, {
        PATH: '/usr/bin',
        MODEL_API_KEYS: 'x',
        MODEL_PROVIDER: 'openai',
        MAX_EVENT_AGE_MS: '5',
        PORT: '1',
        OFFLINE_MODE: 'true',
      }),
      [
        { variable: 'MAX_EVENT_AGE_MS' },
        { variable: 'MODEL_API_KEYS', suggestion: 'MODEL_API_KEY' },
        { variable: 'MODEL_PROVIDER' },
      ],
    );
  });
});

describe('configReference', () => {
  it('lists each variable with what it accepts, its default and description', () => {
    const rows = configReference(
      configFragment('Blob store', {
        BLOB_STORE: Type.Union([Type.Literal('none'), Type.Literal('s3')], {
          default: 'none',
          description: 'Where large bodies go.',
        }),
        BLOB_S3_BUCKET: Type.Optional(Type.String({ minLength: 1 })),
        HOST_NAME: Type.String({ default: 'x', documentedDefault: 'the host name' }),
        BLOB_URL: Type.String({ minLength: 1 }),
      }),
    );
    assert.deepEqual(rows, [
      {
        variable: 'BLOB_STORE',
        accepts: 'one of none, s3',
        default: 'none',
        documented: false,
        required: false,
        description: 'Where large bodies go.',
      },
      {
        variable: 'BLOB_S3_BUCKET',
        accepts: 'text that must not be empty',
        default: '',
        documented: false,
        required: false,
        description: '',
      },
      {
        variable: 'HOST_NAME',
        accepts: 'a string',
        default: 'the host name',
        documented: true,
        required: false,
        description: '',
      },
      {
        variable: 'BLOB_URL',
        accepts: 'text that must not be empty',
        default: '',
        documented: false,
        required: true,
        description: '',
      },
    ]);
  });
});
