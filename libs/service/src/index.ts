export { bootService, startFailureFields, type BootOptions } from './boot.ts';
export {
  runServiceProcess,
  serviceProcessConfig,
  type ServiceContext,
  type ServiceProcessOptions,
  type ServiceSetup,
} from './service-process.ts';
export { HttpError, ServiceError, type ServiceErrorCode } from './errors.ts';
export {
  LOG_LEVELS,
  serviceConfig,
  type LogLevel,
  type ServiceConfig,
  type ServiceConfigDefaults,
} from './service-config.ts';
export {
  createLogger,
  silentLogger,
  type LogFields,
  type LoggerOptions,
  type ServiceLogger,
} from './logger.ts';
export {
  ReadinessRegistry,
  healthPlugin,
  type HealthPluginOptions,
  type ReadinessCheck,
  type ReadinessReport,
} from './health.ts';
export { metricsPlugin, type MetricsPluginOptions } from './metrics.ts';
export { buildService, type BuildServiceOptions } from './app.ts';
export {
  API_AUTH_MODES,
  apiAccess,
  apiConfig,
  isLoopback,
  type ApiAccess,
  type ApiAuthMode,
  type ApiConfig,
} from './api-config.ts';
export {
  BEARER_SCHEME,
  cookieValue,
  credentialOf,
  registerApiAuth,
  tokenMatcher,
  type ApiAuthOptions,
  type Credential,
} from './api-auth.ts';
export {
  DOCS_PREFIX,
  ErrorBodySchema,
  OPENAPI_PATH,
  errorReply,
  type ErrorBody,
  type RouteSchema,
} from './http-schemas.ts';
export type { OpenApiInfo, OpenApiLink } from './openapi.ts';
export {
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  runService,
  type RunServiceOptions,
  type RunningService,
  type ShutdownHook,
} from './service.ts';
