import { messagingMigration } from '@mlops/messaging';
import { TrainingRuns1763900000600 } from './1763900000600-training-runs';

export const trainerMigrations = [messagingMigration('trainer'), TrainingRuns1763900000600];
