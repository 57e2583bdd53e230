export * from './config-error';
export * from './load-config';
export * from './platform-config';
export * from './object-store-config';
export { LOG_LEVELS } from './env-values';
export type { LogLevel } from './env-values';
