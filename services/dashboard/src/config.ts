import { Type } from '@sinclair/typebox';
import { blobConfig } from '@paxfleet/agent-kit';
import { archiveDirConfig } from '@paxfleet/archive';
import { composeConfig, configFragment, type ConfigOf } from '@paxfleet/core';
import { apiConfig } from '@paxfleet/service';

/** The dashboard's own variables, beside every service's and the blob store's (bodies by reference, the archive). */
export const dashboardConfig = configFragment('Dashboard', {
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
});

/**
 * Everything the dashboard reads besides every service's variables. Its pages are reads:
 * beyond loopback they ask for one of API_TOKENS (API_READ_AUTH), as the coordinator's do.
 */
export const dashboardServiceConfig = composeConfig(
  'dashboard',
  apiConfig,
  blobConfig,
  archiveDirConfig,
  dashboardConfig,
);

export type DashboardConfig = ConfigOf<typeof dashboardServiceConfig>;
