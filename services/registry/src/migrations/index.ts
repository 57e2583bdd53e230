import { messagingMigration } from '@mlops/messaging';
import { ModelVersions1732300000100 } from './1732300000100-model-versions';
import { DeploymentsAndAliases1732300000110 } from './1732300000110-deployments-and-aliases';
import { ApprovalRevocation1764100000130 } from './1764100000130-approval-revocation';

export const registryMigrations = [
  messagingMigration('registry'),
  ModelVersions1732300000100,
  DeploymentsAndAliases1732300000110,
  ApprovalRevocation1764100000130,
];
