import { ConfigError } from './config-error';
import { loadPlatformConfig } from './platform-config';

// The credentials every service must be given; nothing defaults them.
const SECRETS = {
  MLOPS_KAFKA_USERNAME: 'feature-store',
  MLOPS_KAFKA_PASSWORD: 'kafka-password',
  MLOPS_POSTGRES_URL: 'postgres://mlops_feature_store:pg-password@127.0.0.1:5432/mlops',
  MLOPS_S3_ACCESS_KEY: 'feature-store',
  MLOPS_S3_SECRET_KEY: 's3-secret',
};

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadPlatformConfig('feature-store', { ...SECRETS, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPlatformConfig', () => {
  it('defaults everything but the credentials to the local stack', () => {
    expect(loadPlatformConfig('feature-store', SECRETS)).toEqual({
      service: 'feature-store',
      http: { host: '0.0.0.0', port: 8082 },
      kafka: { brokers: ['127.0.0.1:9092'], clientId: 'mlops-feature-store', sasl: { mechanism: 'scram-sha-512', username: 'feature-store', password: 'kafka-password' } },
      postgres: { url: 'postgres://mlops_feature_store:pg-password@127.0.0.1:5432/mlops', schema: 'feature_store', poolSize: 10 },
      s3: { endPoint: '127.0.0.1', port: 9000, useSSL: false, accessKey: 'feature-store', secretKey: 's3-secret' },
      log: { level: 'info' },
      messagingRetention: { publishedOutboxHours: 24, processedEventsHours: 192 },
      consumerSession: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 },
    });
  });

  it('takes the consumer session and heartbeat, refusing a heartbeat longer than a third of the session', () => {
    const config = loadPlatformConfig('feature-store', { ...SECRETS, MLOPS_KAFKA_SESSION_TIMEOUT_MS: '12000', MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS: '3000' });
    expect(config.consumerSession).toEqual({ sessionTimeoutMs: 12000, heartbeatIntervalMs: 3000 });
    expect(problemsOf({ MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS: '4000' }).problems).toEqual([
      { variable: 'MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS', reason: 'expected at most a third of MLOPS_KAFKA_SESSION_TIMEOUT_MS, got "4000"' },
    ]);
    expect(problemsOf({ MLOPS_KAFKA_SESSION_TIMEOUT_MS: '6s' }).problems.map((p) => p.variable)).toEqual(['MLOPS_KAFKA_SESSION_TIMEOUT_MS']);
  });

  it('gives each service its own default port', () => {
    expect(loadPlatformConfig('inference-gateway', SECRETS).http.port).toBe(8080);
    expect(loadPlatformConfig('monitor', SECRETS).http.port).toBe(8087);
  });

  it('takes port 0 as any free port', () => {
    expect(loadPlatformConfig('registry', { ...SECRETS, MLOPS_HTTP_PORT: '0' }).http.port).toBe(0);
  });

  it('reads every variable', () => {
    const config = loadPlatformConfig('registry', {
      MLOPS_HTTP_HOST: '127.0.0.1',
      MLOPS_HTTP_PORT: '9999',
      MLOPS_KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092,[::1]:9094',
      MLOPS_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      MLOPS_KAFKA_USERNAME: 'registry',
      MLOPS_KAFKA_PASSWORD: 'kp',
      MLOPS_POSTGRES_URL: 'postgresql://u:p@db.internal:6432/platform',
      MLOPS_POSTGRES_POOL_SIZE: '25',
      MLOPS_S3_ENDPOINT: 'https://s3.example.com',
      MLOPS_S3_ACCESS_KEY: 'ak',
      MLOPS_S3_SECRET_KEY: 'sk',
      MLOPS_LOG_LEVEL: 'debug',
      MLOPS_OUTBOX_RETENTION_HOURS: '6',
      MLOPS_PROCESSED_EVENTS_RETENTION_HOURS: '720',
      MLOPS_KAFKA_SESSION_TIMEOUT_MS: '6000',
      MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    });
    expect(config).toEqual({
      service: 'registry',
      http: { host: '127.0.0.1', port: 9999 },
      kafka: { brokers: ['kafka-0:9092', 'kafka-1:9092', '[::1]:9094'], clientId: 'mlops-registry', sasl: { mechanism: 'scram-sha-256', username: 'registry', password: 'kp' } },
      postgres: { url: 'postgresql://u:p@db.internal:6432/platform', schema: 'registry', poolSize: 25 },
      s3: { endPoint: 's3.example.com', port: 443, useSSL: true, accessKey: 'ak', secretKey: 'sk' },
      log: { level: 'debug' },
      messagingRetention: { publishedOutboxHours: 6, processedEventsHours: 720 },
      consumerSession: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 },
    });
  });

  it('takes an explicit port from the S3 endpoint', () => {
    const config = loadPlatformConfig('trainer', { ...SECRETS, MLOPS_S3_ENDPOINT: 'http://minio:9100/' });
    expect(config.s3).toMatchObject({ endPoint: 'minio', port: 9100, useSSL: false });
  });

  it.each([
    ['MLOPS_HTTP_PORT', 'abc', 'expected a port number 0-65535 (0: any free port), got "abc"'],
    ['MLOPS_HTTP_PORT', '-1', 'expected a port number 0-65535 (0: any free port), got "-1"'],
    ['MLOPS_HTTP_PORT', '65536', 'expected a port number 0-65535 (0: any free port), got "65536"'],
    ['MLOPS_KAFKA_BROKERS', 'kafka-0:9092,kafka-1', 'expected a comma-separated list of host:port, got "kafka-0:9092,kafka-1"'],
    ['MLOPS_KAFKA_BROKERS', ':9092', 'expected a comma-separated list of host:port, got ":9092"'],
    ['MLOPS_POSTGRES_URL', 'mysql://db/x', 'expected a postgres:// or postgresql:// URL with a host, got "mysql://db/x"'],
    ['MLOPS_POSTGRES_URL', 'not a url', 'expected a postgres:// or postgresql:// URL with a host, got "not a url"'],
    ['MLOPS_POSTGRES_POOL_SIZE', '0', 'expected a whole number of at least 1, got "0"'],
    ['MLOPS_S3_ENDPOINT', 'ftp://minio:21', 'expected an http:// or https:// URL with a host and no path, got "ftp://minio:21"'],
    ['MLOPS_S3_ENDPOINT', 'http://minio:9000/bucket', 'expected an http:// or https:// URL with a host and no path, got "http://minio:9000/bucket"'],
    ['MLOPS_LOG_LEVEL', 'loud', 'expected one of fatal, error, warn, info, debug, trace, got "loud"'],
    ['MLOPS_OUTBOX_RETENTION_HOURS', '0', 'expected a whole number of at least 1, got "0"'],
    ['MLOPS_PROCESSED_EVENTS_RETENTION_HOURS', 'forever', 'expected a whole number of at least 1, got "forever"'],
  ])('rejects %s=%s naming the variable', (variable, value, reason) => {
    const error = problemsOf({ [variable]: value });
    expect(error.problems).toEqual([{ variable, reason }]);
    expect(error.message).toBe(`invalid configuration: ${variable}: ${reason}`);
  });

  it('reports every bad variable at once', () => {
    const error = problemsOf({ MLOPS_HTTP_PORT: 'abc', MLOPS_LOG_LEVEL: 'loud', MLOPS_POSTGRES_POOL_SIZE: '-1' });
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'MLOPS_HTTP_PORT',
      'MLOPS_LOG_LEVEL',
      'MLOPS_POSTGRES_POOL_SIZE',
    ]);
  });

  it('names every missing credential and never defaults one', () => {
    expect(() => loadPlatformConfig('registry', {})).toThrow(ConfigError);
    const error = problemsOf({ MLOPS_KAFKA_PASSWORD: '', MLOPS_S3_SECRET_KEY: '' });
    expect(error.problems).toEqual([
      { variable: 'MLOPS_KAFKA_PASSWORD', reason: 'required but not set' },
      { variable: 'MLOPS_S3_SECRET_KEY', reason: 'required but not set' },
    ]);
  });

  it('never shows a database password in the error', () => {
    const error = problemsOf({ MLOPS_POSTGRES_URL: 'mysql://admin:s3cr3t@db/x' });
    expect(error.message).toContain('"mysql://admin:***@db/x"');
    expect(error.message).not.toContain('s3cr3t');
  });
});
