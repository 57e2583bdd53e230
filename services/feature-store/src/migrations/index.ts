import { messagingMigration } from '@mlops/messaging';
import { FeatureStoreTables1763870000100 } from './1763870000100-feature-store-tables';
import { HistoryWithoutEntityTimeIndex1763870000300 } from './1763870000300-history-without-entity-time-index';
import { OnlineChangeNotifications1763870000400 } from './1763870000400-online-change-notifications';
import { DeadLetterOutbox1763870000500 } from './1763870000500-dead-letter-outbox';

export const featureStoreMigrations = [
  messagingMigration('feature_store'),
  FeatureStoreTables1763870000100,
  HistoryWithoutEntityTimeIndex1763870000300,
  OnlineChangeNotifications1763870000400,
  DeadLetterOutbox1763870000500,
];
