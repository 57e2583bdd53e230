import { ServiceName } from '@mlops/contracts';
import { z } from 'zod';
import { brokerList, KAFKA_SASL_MECHANISMS, KafkaSasl, listenPort, logLevel, LogLevel, positiveInteger, postgresUrl, secret } from './env-values';
import { Environment, loadConfig } from './load-config';
import { ObjectStoreConfig, objectStoreConfig, objectStoreVariables } from './object-store-config';

export interface PlatformConfig {
  service: ServiceName;
  http: { host: string; port: number };
  kafka: { brokers: string[]; clientId: string; sasl: KafkaSasl };
  /**
   * Every consumer group member's session with its group coordinator. After a kill -9 the group waits this long for
   * the dead member before the restarted one gets partitions: the default 30 s of the Kafka clients kept a restarted
   * service idle (and its lag growing unseen) for about 46 s. Members heartbeat every heartbeatIntervalMs.
   */
  consumerSession: { sessionTimeoutMs: number; heartbeatIntervalMs: number };
  postgres: { url: string; schema: string; poolSize: number };
  s3: ObjectStoreConfig;
  log: { level: LogLevel };
  /** How long published outbox rows and consumed-event dedupe records are kept. */
  messagingRetention: { publishedOutboxHours: number; processedEventsHours: number };
}

/** Each service has its own port so the whole platform can run on one machine without any overrides. */
export const DEFAULT_HTTP_PORTS: Record<ServiceName, number> = {
  'inference-gateway': 8080,
  'feature-store': 8082,
  registry: 8084,
  governance: 8085,
  trainer: 8086,
  monitor: 8087,
};

// Defaults are given as the text a variable would hold (prefault), so they go through the same validation. Secrets
// have no default: each service runs with its own credentials (deploy/local/infra env <service>), never shared ones.
function platformSchema(service: ServiceName) {
  return z.object({
    MLOPS_HTTP_HOST: z.string().prefault('0.0.0.0'),
    MLOPS_HTTP_PORT: listenPort.prefault(String(DEFAULT_HTTP_PORTS[service])),
    MLOPS_KAFKA_BROKERS: brokerList.prefault('127.0.0.1:9092'),
    MLOPS_KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS, { error: `expected one of ${KAFKA_SASL_MECHANISMS.join(', ')}` }).prefault('scram-sha-512'),
    MLOPS_KAFKA_USERNAME: secret,
    MLOPS_KAFKA_PASSWORD: secret,
    // The brokers' group.min.session.timeout.ms (6 s unless changed), the least they accept: kafkajs has no static
    // membership, so a member restarted after a kill -9 waits out its dead self's session before it gets partitions
    // (measured: holding them 8.0 s after the restart with 8 s, 6.x s with 6 s). Six missed heartbeats of 1 s still
    // keep a member on a loaded machine; a long handler heartbeats through its work (heartbeatDuring).
    MLOPS_KAFKA_SESSION_TIMEOUT_MS: positiveInteger.prefault('6000'),
    MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS: positiveInteger.prefault('1000'),
    MLOPS_POSTGRES_URL: postgresUrl,
    MLOPS_POSTGRES_POOL_SIZE: positiveInteger.prefault('10'),
    ...objectStoreVariables,
    MLOPS_LOG_LEVEL: logLevel.prefault('info'),
    MLOPS_OUTBOX_RETENTION_HOURS: positiveInteger.prefault('24'),
    // Past the brokers' 7-day log retention, so no event still in a topic has lost its dedupe record.
    MLOPS_PROCESSED_EVENTS_RETENTION_HOURS: positiveInteger.prefault('192'),
  }).superRefine((vars, ctx) => {
    // Kafka's own rule of thumb: a member that misses two heartbeats is still in its session.
    if (vars.MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS * 3 > vars.MLOPS_KAFKA_SESSION_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS'], message: 'expected at most a third of MLOPS_KAFKA_SESSION_TIMEOUT_MS' });
    }
  });
}

/** The settings every service shares; throws ConfigError naming every variable that is wrong. */
export function loadPlatformConfig(service: ServiceName, env: Environment = process.env): PlatformConfig {
  const vars = loadConfig(platformSchema(service), env);
  return {
    service,
    http: { host: vars.MLOPS_HTTP_HOST, port: vars.MLOPS_HTTP_PORT },
    kafka: {
      brokers: vars.MLOPS_KAFKA_BROKERS,
      clientId: `mlops-${service}`,
      sasl: { mechanism: vars.MLOPS_KAFKA_SASL_MECHANISM, username: vars.MLOPS_KAFKA_USERNAME, password: vars.MLOPS_KAFKA_PASSWORD },
    },
    consumerSession: { sessionTimeoutMs: vars.MLOPS_KAFKA_SESSION_TIMEOUT_MS, heartbeatIntervalMs: vars.MLOPS_KAFKA_HEARTBEAT_INTERVAL_MS },
    // Postgres identifiers cannot hold '-' unquoted; one schema per service keeps their tables apart.
    postgres: { url: vars.MLOPS_POSTGRES_URL, schema: service.replaceAll('-', '_'), poolSize: vars.MLOPS_POSTGRES_POOL_SIZE },
    s3: objectStoreConfig(vars),
    log: { level: vars.MLOPS_LOG_LEVEL },
    messagingRetention: {
      publishedOutboxHours: vars.MLOPS_OUTBOX_RETENTION_HOURS,
      processedEventsHours: vars.MLOPS_PROCESSED_EVENTS_RETENTION_HOURS,
    },
  };
}
