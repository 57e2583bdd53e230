export * from './metric-name';
export * from './metrics-registry';
export * from './log-context';
export * from './json-logger';
export * from './readiness';
export * from './observability-options';
export * from './observability.module';
