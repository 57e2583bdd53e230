import { messagingMigration } from '@mlops/messaging';
import { TrainingRuns1763900000600 } from './1763900000600-training-runs';
import { TrainingAttempts1763900000610 } from './1763900000610-training-attempts';

export const trainerMigrations = [messagingMigration('trainer'), TrainingRuns1763900000600, TrainingAttempts1763900000610];
