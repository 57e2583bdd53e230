import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { loadTrainerSettings } from './trainer.config';
import { trainerService } from './trainer.service';

const { platform, own } = loadConfigOrExit('trainer', loadTrainerSettings);
void bootstrapService(trainerService(own), platform);
