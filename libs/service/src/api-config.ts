import { Type } from '@sinclair/typebox';
import { configFragment, type ConfigOf, type ConfigProblem } from '@paxfleet/core';

/**
 * How a route is guarded: `token` asks for `Authorization: Bearer <token>` (one of
 * API_TOKENS), `loopback` takes requests only from this machine, `none` takes any.
 */
export const API_AUTH_MODES = ['token', 'loopback', 'none'] as const;
export type ApiAuthMode = (typeof API_AUTH_MODES)[number];

/** Whether a host name or address is this machine's loopback (HOST, or a client's address). */
export function isLoopback(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/^::ffff:/, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

const mode = (options: { documentedDefault: string; description: string }) =>
  Type.Optional(
    Type.Union(
      API_AUTH_MODES.map((value) => Type.Literal(value)),
      options,
    ),
  );

type Values = Readonly<Record<string, unknown>>;

/** API_AUTH as configured, or its default: a token beyond this machine, loopback on it. */
function writeMode(values: Values): ApiAuthMode {
  if (typeof values.API_AUTH === 'string') return values.API_AUTH as ApiAuthMode;
  return typeof values.HOST === 'string' && isLoopback(values.HOST) ? 'loopback' : 'token';
}

function readMode(values: Values): ApiAuthMode {
  return typeof values.API_READ_AUTH === 'string'
    ? (values.API_READ_AUTH as ApiAuthMode)
    : writeMode(values);
}

function tokensRequired(config: Values): ConfigProblem | undefined {
  const tokens = config.API_TOKENS;
  if (Array.isArray(tokens) && tokens.length > 0) return undefined;
  if (writeMode(config) !== 'token' && readMode(config) !== 'token') return undefined;
  const why =
    config.API_AUTH === 'token'
      ? 'when API_AUTH=token'
      : config.API_READ_AUTH === 'token'
        ? 'when API_READ_AUTH=token'
        : `when HOST (${String(config.HOST)}) is not a loopback address: beyond this machine the API asks for a bearer token (or set API_AUTH=loopback, or HOST=127.0.0.1)`;
  return { variable: 'API_TOKENS', problem: `is required ${why}` };
}

function tokensUnused(config: Values): ConfigProblem | undefined {
  const tokens = config.API_TOKENS;
  if (!Array.isArray(tokens) || tokens.length === 0) return undefined;
  const write = writeMode(config);
  const read = readMode(config);
  return write !== 'token' && read !== 'token'
    ? {
        variable: 'API_TOKENS',
        problem: `is set, but neither API_AUTH (${write}) nor API_READ_AUTH (${read}) is token, so no request would be asked for one: set API_AUTH=token, or leave API_TOKENS unset`,
      }
    : undefined;
}

/**
 * The variables of a service that takes requests beyond its probes (the coordinator, the
 * dashboard): who may call it and how large a body it reads.
 */
export const apiConfig = configFragment(
  'HTTP API',
  {
    API_AUTH: mode({
      documentedDefault: '`token` when HOST is not a loopback address, else `loopback`',
      description:
        'Who may send a request that changes something (every method but GET and HEAD: `POST /research`, `POST /tasks`): `token` asks for `Authorization: Bearer <token>` with one of API_TOKENS, `loopback` takes it only from this machine (the connection’s address; no proxy header is believed), `none` from anyone. /healthz, /readyz, /metrics and the API document are always open.',
    }),
    API_READ_AUTH: mode({
      documentedDefault: 'what API_AUTH is',
      description:
        'The same for reads (GET and HEAD: `GET /claims`, `GET /workflows/:id`, the dashboard’s pages), e.g. `none` to let anyone who reaches the service read while writes ask for a token.',
    }),
    API_TOKENS: Type.Optional(
      Type.Array(
        Type.String({
          minLength: 16,
          pattern: '^[\\x21-\\x7e]+$',
          errorMessage: 'must be at least 16 printable characters, without spaces',
        }),
        {
          minItems: 1,
          description:
            'The bearer tokens the API accepts, comma-separated, each at least 16 printable characters without spaces: two during a rotation (add the new one, move the clients, remove the old one). The chart takes them from a Secret. Never logged.',
        },
      ),
    ),
    API_BODY_LIMIT_BYTES: Type.Integer({
      minimum: 1024,
      maximum: 64 * 1024 * 1024,
      default: 256 * 1024,
      description: 'The largest request body read, in bytes; a larger one is answered 413.',
    }),
  },
  tokensRequired,
  tokensUnused,
);

export type ApiConfig = ConfigOf<typeof apiConfig>;

/** Who may call the service, resolved from its configuration. */
export interface ApiAccess {
  readonly write: ApiAuthMode;
  readonly read: ApiAuthMode;
  readonly tokens: readonly string[];
}

export function apiAccess(config: ApiConfig & { readonly HOST: string }): ApiAccess {
  const values: Values = config;
  return { write: writeMode(values), read: readMode(values), tokens: config.API_TOKENS ?? [] };
}
