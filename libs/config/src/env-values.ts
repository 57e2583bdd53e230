import { z } from 'zod';

/**
 * A schema for a variable whose text must be turned into a typed value: `parse` returns undefined when the text
 * is not acceptable, and the issue then carries `expected` so the error tells the operator what would be.
 */
function envValue<T>(expected: string, parse: (text: string) => T | undefined) {
  return z.string().transform((text, ctx) => {
    const value = parse(text);
    if (value === undefined) {
      ctx.addIssue(expected);
      return z.NEVER;
    }
    return value;
  });
}

function toPort(text: string): number | undefined {
  const port = Number(text);
  return /^\d{1,5}$/.test(text) && port >= 1 && port <= 65535 ? port : undefined;
}

function toUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A port to listen on: 0 asks the OS for any free one, which the service then logs. */
export const listenPort = envValue('expected a port number 0-65535 (0: any free port)', (text) => (text === '0' ? 0 : toPort(text)));

export const positiveInteger = envValue('expected a whole number of at least 1', (text) =>
  /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : undefined,
);

export const postgresUrl = envValue('expected a postgres:// or postgresql:// URL with a host', (text) => {
  const url = toUrl(text);
  return url && (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname ? text : undefined;
});

export interface S3Endpoint {
  endPoint: string;
  port: number;
  useSSL: boolean;
}

/** The minio client wants host, port and TLS apart; a path would be silently ignored by it, so it is refused. */
export const s3Endpoint = envValue<S3Endpoint>('expected an http:// or https:// URL with a host and no path', (text) => {
  const url = toUrl(text);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
  if (url.pathname !== '/' || url.search || url.hash) return undefined;
  const useSSL = url.protocol === 'https:';
  return { endPoint: url.hostname, port: url.port ? Number(url.port) : useSSL ? 443 : 80, useSSL };
});

/** `host:port` entries; the last colon splits so a bracketed IPv6 host ([::1]:9092) is accepted too. */
export const brokerList = envValue('expected a comma-separated list of host:port', (text) => {
  const brokers = text.split(',').map((entry) => entry.trim());
  const valid = brokers.every((broker) => {
    const colon = broker.lastIndexOf(':');
    return colon > 0 && toPort(broker.slice(colon + 1)) !== undefined;
  });
  return valid ? brokers : undefined;
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logLevel = z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` });

/** A credential: required and never defaulted, so a service never runs on someone else's. */
export const secret = z.string().min(1, 'must not be empty');

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

export interface KafkaSasl {
  mechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
  username: string;
  password: string;
}
