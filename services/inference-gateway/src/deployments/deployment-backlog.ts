import { Kafka } from 'kafkajs';
import { decodeEvent, EventData } from '@mlops/contracts';
import type { JsonLogger } from '@mlops/observability';

export const DEPLOYMENT_TOPIC = 'mlops.registry.deployment-changed';

export type DeploymentChange = EventData<typeof DEPLOYMENT_TOPIC>;

/** Where the topic ended when the backlog was read: the replica's group follows live changes from there. */
export interface PartitionEnd {
  partition: number;
  offset: string;
}

export interface Backlog {
  /** The newest revision of each model the topic holds. */
  newest: DeploymentChange[];
  ends: PartitionEnd[];
  /** Records read, every revision of every model. */
  records: number;
}

/** Keeps the highest revision per model: only it is served, every older one would be loaded to be thrown away. */
export function newestPerModel(changes: Iterable<DeploymentChange>): DeploymentChange[] {
  const newest = new Map<string, DeploymentChange>();
  for (const change of changes) {
    const held = newest.get(change.modelName);
    if (!held || change.revision > held.revision) newest.set(change.modelName, change);
  }
  return [...newest.values()];
}

/**
 * Reads the deployment-changed history a fresh replica starts from, up to where the topic ended when it began, and
 * folds it to the newest revision per model. Replayed one record after another (each older revision loaded, a
 * missing artifact retried, then replaced), a long-lived topic kept a new replica busy for minutes.
 * Nothing is committed: the caller sets the group's offsets to `ends` once the newest revisions are applied.
 */
export class DeploymentBacklog {
  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly log: Pick<JsonLogger, 'warn'>,
  ) {}

  async read(): Promise<Backlog> {
    const ends = await this.topicEnds();
    const pending = new Map(ends.filter((end) => BigInt(end.offset) > BigInt(end.low)).map((end) => [end.partition, BigInt(end.offset)]));
    const changes: DeploymentChange[] = [];
    let records = 0;
    if (pending.size > 0) {
      const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [DEPLOYMENT_TOPIC], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
          void consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const end = pending.get(batch.partition);
                for (const message of batch.messages) {
                  if (end === undefined || BigInt(message.offset) >= end) break;
                  records++;
                  const decoded = decodeEvent(DEPLOYMENT_TOPIC, message.value);
                  if (decoded.ok) changes.push(decoded.event.data);
                  else this.log.warn(`${DEPLOYMENT_TOPIC}[${batch.partition}]@${message.offset} skipped in the backlog: ${decoded.error}`);
                }
                if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) pending.delete(batch.partition);
                if (pending.size === 0) resolve();
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
    }
    return { newest: newestPerModel(changes), ends: ends.map(({ partition, offset }) => ({ partition, offset })), records };
  }

  /** Sets the group's offsets where the backlog ended, so its consumer reads only what came after. */
  async commitEnds(ends: PartitionEnd[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: this.groupId, topic: DEPLOYMENT_TOPIC, partitions: ends });
    } finally {
      await admin.disconnect();
    }
  }

  private async topicEnds(): Promise<{ partition: number; offset: string; low: string }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(DEPLOYMENT_TOPIC)).map(({ partition, high, low }) => ({ partition, offset: high, low }));
    } finally {
      await admin.disconnect();
    }
  }
}
