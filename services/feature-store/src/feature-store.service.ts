import type { ServiceDefinition } from '@mlops/service-kit';
import { createFeatureStoreModule } from './app.module';
import type { FeatureStoreConfig } from './config/feature-store.config';
import { featureStoreMigrations } from './migrations';

export function featureStoreService(config: FeatureStoreConfig): ServiceDefinition {
  return {
    service: 'feature-store',
    description: 'Entities, feature views, streaming ingestion, online values with TTL and point-in-time correct training datasets.',
    appModule: createFeatureStoreModule(config),
    migrations: featureStoreMigrations,
  };
}
