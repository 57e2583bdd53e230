export * from './bootstrap-service';
export * from './event-subscriber';
export * from './load-config-or-exit';
export * from './platform.module';
export * from './platform-runtime';
export * from './retry-until';
export * from './service-database';
