export { CodedError, type CodedErrorOptions } from './coded-error.ts';
export {
  ConfigError,
  composeConfig,
  configFragment,
  configReference,
  loadConfig,
  requiredWhen,
  unknownVariables,
  type ConfigErrorCode,
  type ConfigFragment,
  type ConfigOf,
  type ConfigProblem,
  type ConfigReferenceRow,
  type ConfigRule,
  type Env,
  type UnknownVariable,
} from './config.ts';
export type { Logger, LogFields } from './logger.ts';
export { REDACTED, SECRET_KEY, redactFields } from './redact.ts';
