import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { registryService } from './registry.service';

void bootstrapService(registryService, loadConfigOrExit('registry'));
