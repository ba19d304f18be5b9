import { hostname } from 'node:os';
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ServiceError } from './errors.ts';
import { REDACTED, SECRET_KEY } from './redact.ts';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The process environment, or any stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What each service decides for itself; the environment can override every one. */
export interface BaseConfigDefaults {
  /** The service's name, for example "research". */
  readonly serviceName: string;
  /** The agent id (Kafka `producer` header, progress key); the service name when not given. */
  readonly agentId?: string;
  /** Local default port; Kubernetes sets PORT=8080. */
  readonly port: number;
  /** The host name when not given (the pod name in Kubernetes). */
  readonly instanceId?: string;
}

const identifier = {
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  errorMessage: 'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
};

/** The keys every paxfleet service reads, with their defaults. */
export function baseConfigProperties(defaults: BaseConfigDefaults) {
  return {
    SERVICE_NAME: Type.String({ ...identifier, default: defaults.serviceName }),
    AGENT_ID: Type.String({ ...identifier, default: defaults.agentId ?? defaults.serviceName }),
    HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
    PORT: Type.Integer({ minimum: 1, maximum: 65535, default: defaults.port }),
    LOG_LEVEL: Type.Union(
      [Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')],
      { default: 'info' },
    ),
    INSTANCE_ID: Type.String({ minLength: 1, default: defaults.instanceId ?? hostname() }),
  };
}

export type BaseConfigProperties = ReturnType<typeof baseConfigProperties>;
export type BaseConfig = Static<TObject<BaseConfigProperties>>;

/**
 * The base keys plus the service's own, as one closed object schema. Variables in the
 * environment that the schema does not name (PATH, KAFKA_* read elsewhere) are ignored
 * by loadConfig, never copied into the config.
 */
export function serviceConfigSchema<P extends TProperties = Record<never, never>>(
  defaults: BaseConfigDefaults,
  properties?: P,
): TObject<BaseConfigProperties & P> {
  return Type.Object(
    { ...baseConfigProperties(defaults), ...properties } as BaseConfigProperties & P,
    { additionalProperties: false },
  );
}

export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * Reads the variables the schema names from env, converts them to the schema's types,
 * applies defaults and validates. An empty value counts as unset. Throws one ServiceError
 * (SERVICE_CONFIG_INVALID) naming every bad variable and what is wrong with it.
 */
export function loadConfig<T extends TObject>(schema: T, env: Env): Readonly<Static<T>> {
  const given: Record<string, string> = {};
  const converted: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    const text = env[name];
    if (text === undefined || text.trim() === '') continue;
    given[name] = text;
    converted[name] = fromEnvText(property, text);
  }
  const config = Value.Default(schema, converted) as Record<string, unknown>;

  const required = new Set(schema.required ?? []);
  const problems: ConfigProblem[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = config[name];
    if (value === undefined) {
      if (required.has(name)) {
        problems.push({ variable: name, problem: `is required (${expectation(property)})` });
      }
      continue;
    }
    if (!Value.Check(property, value)) {
      const text = given[name];
      const shown = SECRET_KEY.test(name)
        ? `"${REDACTED}"`
        : text === undefined
          ? `the default ${JSON.stringify(value)}`
          : JSON.stringify(text);
      problems.push({ variable: name, problem: `${expectation(property)} (got ${shown})` });
    }
  }
  if (problems.length === 0 && !Value.Check(schema, config)) {
    // A rule on the object as a whole rather than on one variable.
    const first = Value.Errors(schema, config).First();
    problems.push({
      variable: first?.path.replace(/^\//, '') || 'config',
      problem: first?.message ?? 'is not valid',
    });
  }

  const [first] = problems;
  if (first) {
    throw new ServiceError(
      'SERVICE_CONFIG_INVALID',
      problems.map(({ variable, problem }) => `${variable} ${problem}`).join('; '),
      { details: { variable: first.variable, problems } },
    );
  }
  return Object.freeze(config);
}

type Keywords = Readonly<Record<string, unknown>>;

function isSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null;
}

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Strict on purpose: "80.5" is not port 80 and "1e3" is not 1. */
function fromEnvText(schema: TSchema, text: string): unknown {
  const keywords: Keywords = schema;
  if (Array.isArray(keywords.anyOf)) {
    for (const member of keywords.anyOf) {
      if (!isSchema(member)) continue;
      const candidate = fromEnvText(member, text);
      if (Value.Check(member, candidate)) return candidate;
    }
    return text;
  }
  const trimmed = text.trim();
  switch (keywords.type) {
    case 'integer':
      return integerText.test(trimmed) ? Number(trimmed) : text;
    case 'number':
      return numberText.test(trimmed) ? Number(trimmed) : text;
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      return text;
    }
    case 'array': {
      const items = keywords.items;
      const parts = text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      return isSchema(items) ? parts.map((part) => fromEnvText(items, part)) : parts;
    }
    default:
      return text;
  }
}

function choices(keywords: Keywords): unknown[] | undefined {
  if (Array.isArray(keywords.enum)) return keywords.enum as unknown[];
  if ('const' in keywords) return [keywords.const];
  if (Array.isArray(keywords.anyOf)) {
    const members = keywords.anyOf.map((member) =>
      isSchema(member) ? choices(member) : undefined,
    );
    if (members.every((member) => member !== undefined)) return members.flat();
  }
  return undefined;
}

function range(keywords: Keywords): string {
  const { minimum: min, maximum: max, exclusiveMinimum: above, exclusiveMaximum: below } = keywords;
  const low = typeof min === 'number' ? min : undefined;
  const high = typeof max === 'number' ? max : undefined;
  if (low !== undefined && high !== undefined) return ` between ${low} and ${high}`;
  const parts: string[] = [];
  if (low !== undefined) parts.push(`at least ${low}`);
  if (typeof above === 'number') parts.push(`greater than ${above}`);
  if (high !== undefined) parts.push(`at most ${high}`);
  if (typeof below === 'number') parts.push(`less than ${below}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/** What a valid value looks like, phrased to follow the variable's name. */
function expectation(schema: TSchema): string {
  const keywords: Keywords = schema;
  if (typeof keywords.errorMessage === 'string') return keywords.errorMessage;
  const allowed = choices(keywords);
  if (allowed) return `must be one of ${allowed.map(String).join(', ')}`;
  switch (keywords.type) {
    case 'integer':
      return `must be an integer${range(keywords)}`;
    case 'number':
      return `must be a number${range(keywords)}`;
    case 'boolean':
      return 'must be true or false';
    case 'array': {
      const items = keywords.items;
      const each = isSchema(items) ? `, each entry ${expectation(items)}` : '';
      const size =
        typeof keywords.minItems === 'number' && keywords.minItems > 0 ? 'non-empty ' : '';
      return `must be a ${size}comma-separated list${each}`;
    }
    case 'string': {
      const rules: string[] = [];
      if (typeof keywords.format === 'string') rules.push(`be a valid ${keywords.format}`);
      if (typeof keywords.pattern === 'string') rules.push(`match ${keywords.pattern}`);
      const { minLength, maxLength } = keywords;
      if (typeof minLength === 'number' && typeof maxLength === 'number') {
        rules.push(`be ${minLength} to ${maxLength} characters long`);
      } else if (minLength === 1) {
        rules.push('not be empty');
      } else if (typeof minLength === 'number') {
        rules.push(`be at least ${minLength} characters long`);
      } else if (typeof maxLength === 'number') {
        rules.push(`be at most ${maxLength} characters long`);
      }
      return rules.length > 0 ? `must ${rules.join(' and ')}` : 'must be a string';
    }
    default:
      return 'is not valid';
  }
}
