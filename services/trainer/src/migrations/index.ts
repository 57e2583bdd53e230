import { messagingMigration } from '@mlops/messaging';
import { TrainingRuns1763900000600 } from './1763900000600-training-runs';
import { TrainingAttempts1763900000610 } from './1763900000610-training-attempts';
import { RunLogs1763900000650 } from './1763900000650-run-logs';
import { TrainingSchedules1763900000700 } from './1763900000700-training-schedules';
import { TrainingRequests1763900000800 } from './1763900000800-training-requests';
import { TrainingJobs1763900000900 } from './1763900000900-training-jobs';

export const trainerMigrations = [messagingMigration('trainer'), TrainingRuns1763900000600, TrainingAttempts1763900000610, RunLogs1763900000650, TrainingSchedules1763900000700, TrainingRequests1763900000800, TrainingJobs1763900000900];
