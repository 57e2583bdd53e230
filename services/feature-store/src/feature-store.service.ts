import type { ServiceDefinition } from '@mlops/service-kit';
import { createFeatureStoreModule } from './app.module';
import type { FeatureStoreConfig } from './config/feature-store.config';
import { featureStoreMigrations } from './migrations';

export function featureStoreService(config: FeatureStoreConfig): ServiceDefinition {
  return {
    service: 'feature-store',
    // Its routes are not in libs/contracts yet: the served document lists them as Nest sees them, marked so.
    api: { title: 'mlops feature-store', description: 'Entities, feature views, streaming ingestion, online values with TTL and point-in-time correct training datasets.', routes: {} },
    appModule: createFeatureStoreModule(config),
    migrations: featureStoreMigrations,
  };
}
