import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { bearer } from '@mlops/auth';
import { DeploymentChanged } from '@mlops/contracts';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import type { Deployment } from '../models/model-repository';

const DeploymentList = z.object({ items: z.array(DeploymentChanged) });

/** The registry has no deployments API (yet, or at this address): worth retrying later, not an error in the data. */
export class DeploymentsUnavailable extends Error {}

/** The registry's HTTP API, as far as the gateway needs it: the current deployment of every model. */
@Injectable()
export class RegistryClient {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(SERVICE_API_KEY) private readonly apiKey: string,
  ) {}

  async currentDeployments(): Promise<Deployment[]> {
    const url = `${this.config.registryUrl}/deployments`;
    let response: Response;
    try {
      response = await fetch(url, { headers: bearer(this.apiKey), signal: AbortSignal.timeout(5000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new DeploymentsUnavailable(`registry at ${url} unreachable (${cause})`);
    }
    if (response.status === 404) throw new DeploymentsUnavailable(`registry at ${url} answered 404: no deployments endpoint`);
    if (!response.ok) throw new DeploymentsUnavailable(`registry at ${url} answered ${response.status}`);
    const parsed = DeploymentList.safeParse(await response.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`registry at ${url} sent deployments the contract refuses: ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data.items;
  }
}
