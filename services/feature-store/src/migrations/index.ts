import { messagingMigration } from '@mlops/messaging';

export const featureStoreMigrations = [messagingMigration('feature_store')];
