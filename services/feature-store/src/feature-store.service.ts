import type { ServiceDefinition } from '@mlops/service-kit';
import { FeatureStoreModule } from './app.module';
import { featureStoreMigrations } from './migrations';

export const featureStoreService: ServiceDefinition = {
  service: 'feature-store',
  description: 'Entities, feature views, streaming ingestion, online values with TTL and point-in-time correct training datasets.',
  appModule: FeatureStoreModule,
  migrations: featureStoreMigrations,
};
