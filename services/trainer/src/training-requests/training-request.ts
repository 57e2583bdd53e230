import type { EventData, PlatformEvent } from '@mlops/contracts';

/** What a training request asks for, as `mlops.training.requested` carries it. */
export type TrainingRequest = EventData<'mlops.training.requested'>;

/** What a finished run announces. */
export type TrainingCompletedEvent = PlatformEvent<'mlops.training.completed'>;
