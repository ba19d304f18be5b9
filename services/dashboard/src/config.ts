import { Type } from '@sinclair/typebox';
import { blobConfig } from '@paxfleet/agent-kit';
import { archiveDirConfig } from '@paxfleet/archive';
import { composeConfig, configFragment, type ConfigOf } from '@paxfleet/core';

/** Whether HOST only takes connections from this machine. */
export function isLoopback(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** The dashboard's own variables, beside every service's and the blob store's (bodies by reference, the archive). */
export const dashboardConfig = configFragment(
  'Dashboard',
  {
    DASHBOARD_TOKEN: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'The bearer token every page and live stream asks for (`Authorization: Bearer <token>`, or signed in once at /login, which keeps it in an HttpOnly cookie). Required when HOST is not a loopback address; the chart takes it from a Secret.',
      }),
    ),
    DASHBOARD_JAEGER_URL: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s]+$',
        errorMessage: 'must be an http:// or https:// URL',
        description:
          "The Jaeger UI's address as a browser reaches it (e.g. https://jaeger.example.com): each workflow page links its trace there. Unset: no trace links.",
      }),
    ),
    DASHBOARD_HISTORY_MS: Type.Integer({
      minimum: 60_000,
      default: 86_400_000,
      description:
        'How far back the dashboard reads every topic when it starts (from the broker’s time index); the claim log (content-claims) is read whole.',
    }),
    DASHBOARD_MAX_RECORDS: Type.Integer({
      minimum: 100,
      maximum: 1_000_000,
      default: 5000,
      description: 'Newest records kept per topic for the topic browser.',
    }),
    DASHBOARD_MAX_WORKFLOWS: Type.Integer({
      minimum: 100,
      maximum: 1_000_000,
      default: 10_000,
      description:
        'Workflows kept for the workflow list; past it, the one first seen longest ago is dropped (its page still reads its history from the broker).',
    }),
    DASHBOARD_LAG_INTERVAL_MS: Type.Integer({
      minimum: 500,
      default: 5000,
      description:
        'How often the consumer lag of every agent’s group is measured for the Fleet page.',
    }),
  },
  (config) => {
    const values = config as Readonly<Record<string, unknown>>;
    const host = typeof values.HOST === 'string' ? values.HOST : '';
    return values.DASHBOARD_TOKEN === undefined && host !== '' && !isLoopback(host)
      ? {
          variable: 'DASHBOARD_TOKEN',
          problem: `is required when HOST (${host}) is not a loopback address: the dashboard shows every record of the fleet, so beyond this machine it asks for a bearer token (or set HOST=127.0.0.1)`,
        }
      : undefined;
  },
);

/** Everything the dashboard reads besides every service's variables. */
export const dashboardServiceConfig = composeConfig(
  'dashboard',
  blobConfig,
  archiveDirConfig,
  dashboardConfig,
);

export type DashboardConfig = ConfigOf<typeof dashboardServiceConfig>;
