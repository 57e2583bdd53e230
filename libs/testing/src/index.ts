export * from './free-port';
export * from './http-json';
export * from './service-process';
export * from './service-startup-suite';
export * from './wait-for';
export * from './mlops-cli';
export * from './test-keys';
export * from './tcp-proxy';
