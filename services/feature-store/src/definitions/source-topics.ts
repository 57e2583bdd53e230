import { Inject, Injectable } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { PlatformRuntime } from '@mlops/service-kit';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from '../config/feature-store.config';

/** Creates a view's source topic with explicit partitions; a topic the producers already made is left as it is. */
@Injectable()
export class SourceTopics {
  constructor(
    private readonly runtime: PlatformRuntime,
    @Inject(FEATURE_STORE_CONFIG) private readonly config: FeatureStoreConfig,
  ) {}

  async ensure(topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = [...new Set(topics)].filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: this.config.sourcePartitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    });
  }

  /** Those of `topics` the broker has now (an operator may have deleted a view's topic since it was applied). */
  async existing(topics: string[]): Promise<string[]> {
    if (topics.length === 0) return [];
    const existing = new Set(await this.withAdmin((admin) => admin.listTopics()));
    return topics.filter((t) => existing.has(t));
  }

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.runtime.kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
