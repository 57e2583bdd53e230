import { featureStoreApi } from '@mlops/contracts';
import type { ServiceDefinition } from '@mlops/service-kit';
import { createFeatureStoreModule } from './app.module';
import type { FeatureStoreConfig } from './config/feature-store.config';
import { featureStoreMigrations } from './migrations';

export function featureStoreService(config: FeatureStoreConfig): ServiceDefinition {
  return {
    service: 'feature-store',
    api: featureStoreApi,
    appModule: createFeatureStoreModule(config),
    migrations: featureStoreMigrations,
  };
}
