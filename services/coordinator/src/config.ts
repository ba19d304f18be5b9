import { Type } from '@sinclair/typebox';
import { loadConfig, serviceConfigSchema, type Env } from '@paxfleet/service';

export const coordinatorConfigSchema = serviceConfigSchema(
  { serviceName: 'coordinator', port: 7070 },
  {
    CLAIM_COMPLETION_WINDOW_MS: Type.Integer({ minimum: 0, default: 24 * 60 * 60 * 1000 }),
    CLAIM_MAX_REQUEST_AGE_MS: Type.Integer({ minimum: 100, default: 30_000 }),
    LEASE_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 10, default: 1000 }),
    TASK_ROUTES: Type.String({
      default: '{"research":{"topic":"research-tasks","group":"paxfleet-research"}}',
      description: 'JSON: task type -> { topic, group }',
    }),
    MAX_TASK_LAG: Type.Integer({ minimum: 0, default: 1000 }),
    TASK_RETRY_AFTER_SECONDS: Type.Integer({ minimum: 1, default: 5 }),
  },
);

export type CoordinatorConfig = ReturnType<typeof loadCoordinatorConfig>;

export function loadCoordinatorConfig(env: Env) {
  return loadConfig(coordinatorConfigSchema, env);
}
