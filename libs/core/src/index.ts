export { CodedError, type CodedErrorOptions } from './coded-error.ts';
export type { Logger, LogFields } from './logger.ts';
