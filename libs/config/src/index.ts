export * from './config-error';
export * from './load-config';
export * from './platform-config';
export * from './object-store-config';
export { LOG_LEVELS, s3Endpoint, secret } from './env-values';
export type { LogLevel } from './env-values';
export type { KafkaSasl } from './env-values';
export * from './local-credentials';
