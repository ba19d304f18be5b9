import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CodedError } from './coded-error.ts';
import { REDACTED, SECRET_KEY } from './redact.ts';

/** The process environment, or any stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

export type ConfigErrorCode = 'CONFIG_INVALID';

/** Bad configuration: `details.problems` names every bad variable, `details.variable` the first. */
export class ConfigError extends CodedError<ConfigErrorCode> {
  override readonly name = 'ConfigError';
}

/** A rule across variables ("X is required when Y=z"), given what was read, valid or not. */
export type ConfigRule<C> = (config: Partial<C>) => ConfigProblem | undefined;

/**
 * The rule "`variable` is required when …": `applies` says when, `when` how the problem
 * puts it ("when BLOB_STORE=s3"), from the configuration if it depends on a value.
 */
export function requiredWhen(
  variable: string,
  applies: (config: Readonly<Record<string, unknown>>) => boolean,
  when: string | ((config: Readonly<Record<string, unknown>>) => string),
): <C>(config: Partial<C>) => ConfigProblem | undefined {
  return (config) => {
    const values = config as Readonly<Record<string, unknown>>;
    const missing = values[variable] === undefined || values[variable] === '';
    return applies(values) && missing
      ? { variable, problem: `is required ${typeof when === 'string' ? when : when(values)}` }
      : undefined;
  };
}

/**
 * The variables one part of the code reads (the Kafka connection, the model, the blob
 * store...), each a TypeBox schema with its default and description, and the rules across
 * them. A service composes the fragments it needs and reads the environment once. `C` is
 * the configuration loadConfig returns.
 */
export interface ConfigFragment<C = Record<string, unknown>> {
  /** A heading for the configuration reference, e.g. "Kafka connection". */
  readonly title: string;
  readonly properties: TProperties;
  readonly rules: readonly ConfigRule<Record<string, unknown>>[];
  /** The fragments it was composed of, or itself. */
  readonly parts: readonly ConfigFragment<unknown>[];
  /** Never set: carries the configuration's type. */
  readonly config?: C;
}

/** What loadConfig returns for a fragment. */
export type ConfigOf<F> = F extends ConfigFragment<infer C> ? Readonly<C> : never;

export function configFragment<P extends TProperties>(
  title: string,
  properties: P,
  ...rules: ConfigRule<Static<TObject<P>>>[]
): ConfigFragment<Static<TObject<P>>> {
  const fragment: ConfigFragment<Static<TObject<P>>> = {
    title,
    properties,
    rules: rules as unknown as ConfigRule<Record<string, unknown>>[],
    parts: [],
  };
  return { ...fragment, parts: [fragment] };
}

type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (
  value: infer I,
) => void
  ? I
  : never;

/** One configuration from several fragments; a variable declared by two of them is a bug. */
export function composeConfig<const F extends readonly ConfigFragment<unknown>[]>(
  title: string,
  ...fragments: F
): ConfigFragment<Intersection<ConfigOf<F[number]>>> {
  const properties: TProperties = {};
  for (const fragment of fragments) {
    for (const [name, schema] of Object.entries(fragment.properties)) {
      if (name in properties) throw new Error(`${name} is declared by two configuration fragments`);
      properties[name] = schema;
    }
  }
  return {
    title,
    properties,
    rules: fragments.flatMap((fragment) => fragment.rules),
    parts: fragments.flatMap((fragment) => fragment.parts),
  };
}

/**
 * Reads the variables the fragment names from env, converts them to the schemas' types,
 * applies defaults, validates each and then the rules across them. An empty value counts
 * as unset; variables the fragment does not name are never copied in. Throws one
 * ConfigError (CONFIG_INVALID) naming every bad variable; a secret's value never shows.
 */
export function loadConfig<C>(fragment: ConfigFragment<C>, env: Env): Readonly<C> {
  const schema = Type.Object(fragment.properties, { additionalProperties: false });
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
  for (const rule of fragment.rules) {
    const problem = rule(config);
    if (problem && !problems.some(({ variable }) => variable === problem.variable)) {
      problems.push(problem);
    }
  }

  const [first] = problems;
  if (first) {
    const secrets = Object.entries(given)
      .filter(([name]) => SECRET_KEY.test(name))
      .map(([, value]) => value.trim());
    const safe = problems.map(({ variable, problem }) => ({
      variable,
      problem: withoutSecrets(problem, secrets),
    }));
    throw new ConfigError(
      'CONFIG_INVALID',
      safe.map(({ variable, problem }) => `${variable} ${problem}`).join('; '),
      { details: { variable: first.variable, problems: safe } },
    );
  }
  return Object.freeze(config) as Readonly<C>;
}

export interface UnknownVariable {
  readonly variable: string;
  /** The variable it is most likely a typo of. */
  readonly suggestion?: string;
}

/**
 * Variables in env that look like the fragment's (the same first word: KAFKA_, MODEL_,
 * BLOB_...) but that it does not read: a mistyped name, or a setting for another service.
 */
export function unknownVariables(fragment: ConfigFragment<unknown>, env: Env): UnknownVariable[] {
  const known = Object.keys(fragment.properties);
  const prefixes = new Set(
    known.filter((name) => name.includes('_')).map((name) => `${name.split('_')[0]}_`),
  );
  return Object.keys(env)
    .filter((name) => !known.includes(name) && [...prefixes].some((p) => name.startsWith(p)))
    .sort()
    .map((variable) => {
      const suggestion = closest(variable, known);
      return { variable, ...(suggestion && { suggestion }) };
    });
}

/** The known name within a few edits of `name`, if one is. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export interface ConfigReferenceRow {
  readonly variable: string;
  /** What a valid value looks like: "an integer at least 1", "one of none, s3, file". */
  readonly accepts: string;
  /** The default as text, "" when the variable is required or optional without one. */
  readonly default: string;
  /** Whether the default is said in words (documentedDefault) rather than a value. */
  readonly documented: boolean;
  readonly required: boolean;
  readonly description: string;
}

/**
 * The variables of a fragment for the configuration reference. A schema's
 * `documentedDefault` keyword stands in for a default computed at startup (the host name).
 */
export function configReference(fragment: ConfigFragment<unknown>): ConfigReferenceRow[] {
  const schema = Type.Object(fragment.properties);
  const required = new Set(schema.required ?? []);
  return Object.entries(fragment.properties).map(([variable, property]) => {
    const keywords: Keywords = property;
    const documented = keywords.documentedDefault;
    const value = keywords.default;
    return {
      variable,
      accepts: accepted(expectation(property)),
      default:
        typeof documented === 'string'
          ? documented
          : value === undefined
            ? ''
            : Array.isArray(value)
              ? value.join(',')
              : typeof value === 'string'
                ? value
                : JSON.stringify(value),
      documented: typeof documented === 'string',
      required: required.has(variable) && value === undefined,
      description: typeof keywords.description === 'string' ? keywords.description : '',
    };
  });
}

/**
 * A problem as it may be shown: no secret variable's value anywhere in it (a key pasted
 * into a URL), and no user:password@ of a URL.
 */
function withoutSecrets(problem: string, secrets: readonly string[]): string {
  let shown = problem.replace(/\/\/[^/@\s"]*@/g, '//');
  for (const secret of secrets) if (secret) shown = shown.split(secret).join(REDACTED);
  return shown;
}

/** "must be an integer at least 1" as "an integer at least 1", "must not be empty" as "text, not empty". */
function accepted(expected: string): string {
  if (expected.startsWith('must be ')) return expected.slice('must be '.length);
  if (expected.startsWith('must ')) return `text that must ${expected.slice('must '.length)}`;
  return expected;
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
    // A choice is matched without regard to case: LOG_LEVEL=INFO, KAFKA_SECURITY_PROTOCOL=SASL_SSL.
    const choice = keywords.anyOf.find(
      (member): member is TSchema =>
        isSchema(member) &&
        typeof member.const === 'string' &&
        member.const.toLowerCase() === text.trim().toLowerCase(),
    );
    if (choice) return choice.const;
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
    case 'object':
      // A table (MODEL_PRICES) is given as JSON.
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return text;
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
