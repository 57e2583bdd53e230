import { Kafka, KafkaJSDeleteGroupsError } from 'kafkajs';

/**
 * The consumer group this replica reads deployment changes under: one per replica id, not one per start, so restarts
 * leave nothing behind. It is deleted before joining, so every start reads the topic from the beginning as a new
 * replica does, and after leaving, so a clean stop leaves no group; a crash leaves it to the replica's next start.
 */
export class ReplicaConsumerGroup {
  readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly replicaId: string,
  ) {
    this.groupId = `mlops-inference-gateway-${replicaId}`;
  }

  /** Refuses while the group has members: another live replica has the same id and would take half the partitions. */
  async delete(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([this.groupId]);
    } catch (err) {
      const reason = err instanceof KafkaJSDeleteGroupsError ? err.groups[0]?.error?.type : undefined;
      if (reason === 'GROUP_ID_NOT_FOUND') return;
      if (reason === 'NON_EMPTY_GROUP') {
        throw new Error(`consumer group ${this.groupId} has live members: another gateway replica runs with replica id '${this.replicaId}'; give each replica its own MLOPS_GATEWAY_REPLICA_ID`);
      }
      throw err;
    } finally {
      await admin.disconnect();
    }
  }
}
