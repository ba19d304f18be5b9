export { safeNext, TOKEN_COOKIE } from './auth.ts';
export { dashboardConfig, dashboardServiceConfig, type DashboardConfig } from './config.ts';
export { FleetState, type SeenRecord, type WorkflowSummary } from './fleet-state.ts';
export { html, escapeHtml, Html } from './html.ts';
export { CONSUMER_LAGGING, PROGRESS_SILENT_AFTER_MS, groupLags } from './lag-alerts.ts';
export { LiveHub } from './live.ts';
export { dashboardRoutes, SECURITY_HEADERS, type DashboardDeps } from './routes.ts';
