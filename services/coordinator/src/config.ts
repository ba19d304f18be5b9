import { Type } from '@sinclair/typebox';
import { configFragment, type ConfigOf } from '@paxfleet/core';

/** The coordinator's own variables: how it decides claims and when it refuses tasks. */
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
});

export type CoordinatorConfig = ConfigOf<typeof coordinatorConfig>;
