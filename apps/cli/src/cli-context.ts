import { featureStoreRoutes, governanceRoutes, type HttpClient, monitorRoutes, registryRoutes, trainerRoutes } from '@mlops/contracts';
import type { CliEndpoints } from './cli-endpoints';
import { CliUploads } from './cli-uploads';
import { cliClient } from './contract-client';
import type { Output } from './output';

/** What every command gets: one client per service (each sending the caller's key), the object-store uploads and the output mode chosen by the global flags. */
export class CliContext {
  readonly registry: HttpClient<typeof registryRoutes>;
  readonly featureStore: HttpClient<typeof featureStoreRoutes>;
  readonly governance: HttpClient<typeof governanceRoutes>;
  readonly trainer: HttpClient<typeof trainerRoutes>;
  readonly monitor: HttpClient<typeof monitorRoutes>;
  readonly uploads = new CliUploads();

  constructor(
    endpoints: CliEndpoints,
    private readonly outputOf: () => Output,
    apiKey?: string,
  ) {
    this.registry = cliClient(registryRoutes, endpoints.MLOPS_REGISTRY_URL, 'registry', apiKey);
    this.featureStore = cliClient(featureStoreRoutes, endpoints.MLOPS_FEATURE_STORE_URL, 'feature-store', apiKey);
    this.governance = cliClient(governanceRoutes, endpoints.MLOPS_GOVERNANCE_URL, 'governance', apiKey);
    this.trainer = cliClient(trainerRoutes, endpoints.MLOPS_TRAINER_URL, 'trainer', apiKey);
    this.monitor = cliClient(monitorRoutes, endpoints.MLOPS_MONITOR_URL, 'monitor', apiKey);
  }

  get output(): Output {
    return this.outputOf();
  }
}
