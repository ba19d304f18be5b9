import { Type } from '@sinclair/typebox';
import { composeConfig, configFragment, type ConfigOf } from '@paxfleet/core';
import { apiConfig } from '@paxfleet/service';

/** The coordinator's own variables: how it decides claims, when it refuses tasks, what workflows it shows. */
export const coordinatorConfig = configFragment('Coordinator', {
  CLAIM_COMPLETION_WINDOW_MS: Type.Integer({
    minimum: 0,
    default: 24 * 60 * 60 * 1000,
    description:
      'How long completed work stays done: a claim for the same key within it is denied as a duplicate.',
  }),
  CLAIM_MAX_REQUEST_AGE_MS: Type.Integer({
    minimum: 100,
    default: 30_000,
    description: 'A claim request older than this when read is denied as stale.',
  }),
  LEASE_SWEEP_INTERVAL_MS: Type.Integer({
    minimum: 10,
    default: 1000,
    description: 'How often expired leases are released so the work can be granted again.',
  }),
  MAX_TASK_LAG: Type.Integer({
    minimum: 0,
    default: 1000,
    description:
      'Backpressure: above this many unread research tasks, new tasks get 429 with Retry-After.',
  }),
  TASK_RETRY_AFTER_SECONDS: Type.Integer({
    minimum: 1,
    default: 5,
    description: 'The Retry-After of a task refused for backpressure.',
  }),
  WORKFLOW_HISTORY_MS: Type.Integer({
    minimum: 1000,
    default: 24 * 60 * 60 * 1000,
    description:
      'How far back GET /workflows/:id sees: the workflow topics are read from this long before the start (the broker’s time index), and a workflow first seen longer ago is forgotten.',
  }),
  WORKFLOW_MAX_TRACKED: Type.Integer({
    minimum: 1,
    default: 10_000,
    description:
      'Workflows kept in memory for GET /workflows/:id; past it, the one first seen longest ago is forgotten.',
  }),
});

/** Everything the coordinator reads besides every service's variables: who may call its API, and its own. */
export const coordinatorServiceConfig = composeConfig('coordinator', apiConfig, coordinatorConfig);

export type CoordinatorConfig = ConfigOf<typeof coordinatorServiceConfig>;
