import { messagingMigration } from '@mlops/messaging';
import { AuditLog1732300000200 } from './1732300000200-audit-log';

export const governanceMigrations = [messagingMigration('governance'), AuditLog1732300000200];
