export { ClaimArbiter, type ClaimArbiterOptions } from './claims/claim-arbiter.ts';
export { ClaimBoard, type ClaimView } from './claims/claim-board.ts';
export { ClaimLedger, DEFAULT_CLAIM_POLICY, type ClaimPolicy } from './claims/ledger.ts';
export { ClaimMetrics } from './claims/claim-metrics.ts';
export { TaskRouter, type RoutingTable, type TaskRoute } from './routing/task-router.ts';
export { coordinatorConfig, coordinatorServiceConfig, type CoordinatorConfig } from './config.ts';
