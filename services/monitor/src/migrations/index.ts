import { messagingMigration } from '@mlops/messaging';
import { MonitorState1765000000100 } from './1765000000100-monitor-state';

export const monitorMigrations = [messagingMigration('monitor'), MonitorState1765000000100];
