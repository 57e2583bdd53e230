import { messagingMigration } from '@mlops/messaging';
import { AuditLog1732300000200 } from './1732300000200-audit-log';
import { PoliciesAndApprovals1764100000300 } from './1764100000300-policies-and-approvals';

export const governanceMigrations = [messagingMigration('governance'), AuditLog1732300000200, PoliciesAndApprovals1764100000300];
