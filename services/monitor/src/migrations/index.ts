import { messagingMigration } from '@mlops/messaging';

export const monitorMigrations = [messagingMigration('monitor')];
