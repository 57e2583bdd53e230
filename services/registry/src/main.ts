import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { loadRegistryConfig } from './registry.config';
import { registryService } from './registry.service';

const { platform, own } = loadConfigOrExit('registry', loadRegistryConfig);
void bootstrapService(registryService(own), platform);
