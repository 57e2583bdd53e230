import { messagingMigration } from '@mlops/messaging';
import { ModelVersions1732300000100 } from './1732300000100-model-versions';
import { DeploymentsAndAliases1732300000110 } from './1732300000110-deployments-and-aliases';

export const registryMigrations = [messagingMigration('registry'), ModelVersions1732300000100, DeploymentsAndAliases1732300000110];
