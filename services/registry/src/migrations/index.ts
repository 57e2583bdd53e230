import { messagingMigration } from '@mlops/messaging';
import { ModelVersions1732300000100 } from './1732300000100-model-versions';

export const registryMigrations = [messagingMigration('registry'), ModelVersions1732300000100];
