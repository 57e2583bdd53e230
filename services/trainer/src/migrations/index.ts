import { messagingMigration } from '@mlops/messaging';

export const trainerMigrations = [messagingMigration('trainer')];
