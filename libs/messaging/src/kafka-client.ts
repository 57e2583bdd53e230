import { Kafka, LogEntry, logCreator, logLevel } from 'kafkajs';
import type { MessagingLogger } from './messaging-logger';

/** SASL credentials of the principal a client authenticates as; the broker's ACLs are written for that principal. */
export interface KafkaSaslConfig {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
}

export interface KafkaConnectionConfig {
  brokers: string[];
  clientId: string;
  sasl: KafkaSaslConfig;
}

/**
 * kafkajs logs every reconnect attempt and group event; only warnings and errors are worth an operator's
 * attention, and they go through the service's own logger so they share its format and context.
 */
export function kafkaLogCreator(logger: MessagingLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const details: Record<string, unknown> = { ...log };
      delete details.message;
      delete details.timestamp;
      const message = `kafkajs ${namespace}: ${log.message}`;
      if (level === logLevel.ERROR) logger.error(message, details);
      else if (level === logLevel.WARN) logger.warn(message, details);
    };
}

/** Without a logger kafkajs stays silent rather than writing its own format to stdout. */
export function createKafka(config: KafkaConnectionConfig, logger?: MessagingLogger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    sasl: saslOptions(config.sasl),
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    ...(logger ? { logCreator: kafkaLogCreator(logger) } : {}),
  });
}

const PLATFORMATIC_MECHANISMS = { 'scram-sha-512': 'SCRAM-SHA-512', 'scram-sha-256': 'SCRAM-SHA-256', plain: 'PLAIN' } as const;

/** The same principal's credentials as @platformatic/kafka (the prediction log and the monitor's stream) takes them. */
export function platformaticSasl(sasl: KafkaSaslConfig) {
  return { mechanism: PLATFORMATIC_MECHANISMS[sasl.mechanism], username: sasl.username, password: sasl.password };
}

// kafkajs types each mechanism apart; the union of our three is the same shape under each name.
function saslOptions(sasl: KafkaSaslConfig) {
  const { username, password } = sasl;
  if (sasl.mechanism === 'plain') return { mechanism: 'plain' as const, username, password };
  if (sasl.mechanism === 'scram-sha-256') return { mechanism: 'scram-sha-256' as const, username, password };
  return { mechanism: 'scram-sha-512' as const, username, password };
}
