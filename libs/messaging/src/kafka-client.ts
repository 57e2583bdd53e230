import { Kafka, LogEntry, logCreator, logLevel } from 'kafkajs';
import type { MessagingLogger } from './messaging-logger';

export interface KafkaConnectionConfig {
  brokers: string[];
  clientId: string;
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
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    ...(logger ? { logCreator: kafkaLogCreator(logger) } : {}),
  });
}
