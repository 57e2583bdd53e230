import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { trainerService } from './trainer.service';

void bootstrapService(trainerService, loadConfigOrExit('trainer'));
