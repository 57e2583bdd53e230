import { messagingMigration } from '@mlops/messaging';
import { AuditLog1732300000200 } from './1732300000200-audit-log';
import { AuditChain1732300000500 } from './1732300000500-audit-chain';
import { ModelCards1732300000510 } from './1732300000510-model-cards';
import { PoliciesAndApprovals1764100000300 } from './1764100000300-policies-and-approvals';
import { PrincipalsAndApiKeys1765100000100 } from './1765100000100-principals-and-api-keys';

export const governanceMigrations = [
  messagingMigration('governance'),
  AuditLog1732300000200,
  AuditChain1732300000500,
  ModelCards1732300000510,
  PoliciesAndApprovals1764100000300,
  PrincipalsAndApiKeys1765100000100,
];
