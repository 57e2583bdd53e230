import { messagingMigration } from '@mlops/messaging';
import { AuditLog1732300000200 } from './1732300000200-audit-log';
import { PrincipalsAndApiKeys1765100000100 } from './1765100000100-principals-and-api-keys';

export const governanceMigrations = [messagingMigration('governance'), AuditLog1732300000200, PrincipalsAndApiKeys1765100000100];
