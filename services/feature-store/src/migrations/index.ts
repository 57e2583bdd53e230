import { messagingMigration } from '@mlops/messaging';
import { FeatureStoreTables1763870000100 } from './1763870000100-feature-store-tables';

export const featureStoreMigrations = [messagingMigration('feature_store'), FeatureStoreTables1763870000100];
