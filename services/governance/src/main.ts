import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { governanceService } from './governance.service';

void bootstrapService(governanceService, loadConfigOrExit('governance'));
