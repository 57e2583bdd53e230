import { Inject, Injectable } from '@nestjs/common';
import { AnswerOutsideContract, createHttpClient, type HttpClient, registryRoutes } from '@mlops/contracts';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import type { Deployment } from '../models/model-repository';

/** The registry has no deployments API (yet, or at this address): worth retrying later, not an error in the data. */
export class DeploymentsUnavailable extends Error {}

/** The registry's HTTP API, as far as the gateway needs it: the current deployment of every model. */
@Injectable()
export class RegistryClient {
  private readonly registry: HttpClient<typeof registryRoutes>;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, @Inject(SERVICE_API_KEY) apiKey: string) {
    this.registry = createHttpClient(registryRoutes, { baseUrl: config.registryUrl, apiKey, timeoutMs: 5000 });
  }

  async currentDeployments(): Promise<Deployment[]> {
    try {
      return (await this.registry.currentDeployments()).items;
    } catch (err) {
      // A body the contract refuses is a defect to surface, not a registry to wait for.
      if (err instanceof AnswerOutsideContract) throw err;
      throw new DeploymentsUnavailable((err as Error).message);
    }
  }
}
