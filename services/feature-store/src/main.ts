import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { featureStoreService } from './feature-store.service';

void bootstrapService(featureStoreService, loadConfigOrExit('feature-store'));
