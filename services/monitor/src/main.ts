import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { monitorService } from './monitor.service';

void bootstrapService(monitorService, loadConfigOrExit('monitor'));
