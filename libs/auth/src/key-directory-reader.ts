import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEvent } from '@mlops/contracts';
import type { MessagingLogger } from '@mlops/messaging';
import type { KeyDirectory } from './key-directory';

export const API_KEY_TOPIC = 'mlops.governance.api-key-changed';

export interface KeyDirectoryReaderOptions {
  /** Each replica reads the whole topic: its group is its own, named from this prefix and a random suffix. */
  groupPrefix: string;
  logger: MessagingLogger;
  /** A record that breaks the contract; every replica sees it, so it is counted and logged rather than dead-lettered N times. */
  onRejected?: (error: string) => void;
}

/**
 * Keeps a KeyDirectory in step with governance's compacted key topic. Every replica of every service reads the
 * topic from the beginning in a consumer group of its own that commits nothing, so the group leaves no trace on
 * the broker once the replica stops.
 */
export class KeyDirectoryReader {
  private consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly directory: KeyDirectory,
    private readonly options: KeyDirectoryReaderOptions,
  ) {}

  /** Resolves once consumption has begun; the directory is marked loaded when it reaches the start-time end of the topic. */
  async start(): Promise<void> {
    const target = await this.endOffsets();
    const consumer = this.kafka.consumer({ groupId: `${this.options.groupPrefix}-${randomUUID()}`, maxWaitTimeInMs: 1000 });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: API_KEY_TOPIC, fromBeginning: true });
      this.markLoadedIfCaughtUp(target);
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          this.applyRecord(message.value);
          const end = target.get(partition);
          if (end !== undefined && BigInt(message.offset) + 1n >= end) target.delete(partition);
          this.markLoadedIfCaughtUp(target);
        },
      });
    } catch (err) {
      this.consumer = null;
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect().catch(() => undefined);
  }

  /** The offset each partition must reach for the directory to hold everything written before the service started. */
  private async endOffsets(): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(API_KEY_TOPIC);
      return new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }

  private markLoadedIfCaughtUp(target: Map<number, bigint>): void {
    if (target.size === 0 && !this.directory.isLoaded()) {
      this.directory.markLoaded();
      this.options.logger.log(`API keys loaded: ${this.directory.size} key(s)`);
    }
  }

  private applyRecord(value: Buffer | null): void {
    const decoded = decodeEvent(API_KEY_TOPIC, value);
    if (decoded.ok) {
      this.directory.apply(decoded.event.data);
      return;
    }
    this.options.logger.error(`${API_KEY_TOPIC}: record refused by its contract, key left as it was: ${decoded.error}`);
    this.options.onRejected?.(decoded.error);
  }
}
