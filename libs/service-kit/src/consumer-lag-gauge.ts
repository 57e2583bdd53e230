import type { Admin, Kafka } from 'kafkajs';
import { Gauge, Registry } from 'prom-client';
import type { ServiceName } from '@mlops/contracts';
import { metricName } from '@mlops/observability';

export interface ConsumerLagSource {
  kafka: Kafka;
  groupId: string;
  topics: () => readonly string[];
  isUp: () => boolean;
}

/**
 * Records behind per partition (log end minus the group's committed offset), read at scrape time so a stuck or
 * slow consumer shows before its effects are missed.
 */
export function registerConsumerLagGauge(service: ServiceName, registry: Registry, source: ConsumerLagSource): void {
  let admin: Admin | null = null;
  new Gauge({
    name: metricName(service, 'consumer_lag_messages'),
    help: 'Log-end offset minus the committed offset of the service consumer group, per topic and partition',
    labelNames: ['topic', 'partition', 'group'],
    registers: [registry],
    async collect() {
      const topics = source.topics();
      if (!source.isUp() || topics.length === 0) return;
      try {
        if (!admin) {
          admin = source.kafka.admin();
          await admin.connect();
        }
        for (const topic of topics) {
          const [ends, [committed]] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId: source.groupId, topics: [topic] }),
          ]);
          for (const end of ends) {
            const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            const from = offset === '-1' ? Number(end.low) : Number(offset);
            this.set({ topic, partition: String(end.partition), group: source.groupId }, Math.max(0, Number(end.high) - from));
          }
        }
      } catch {
        // A broker outage shows in dependency_up; the lag keeps its last value until the broker answers again.
        const stale = admin;
        admin = null;
        await stale?.disconnect().catch(() => undefined);
      }
    },
  });
}
