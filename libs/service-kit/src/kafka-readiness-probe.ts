import type { Admin, Kafka } from 'kafkajs';
import type { ReadinessProbe } from '@mlops/observability';

/** Asks the broker for cluster metadata on every check, so readiness reflects the broker now, not at start. */
export class KafkaReadinessProbe implements ReadinessProbe {
  readonly name = 'kafka';
  private admin: Admin | null = null;

  constructor(private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      const cluster = await this.admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
