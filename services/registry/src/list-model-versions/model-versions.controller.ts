import { Controller, NotFoundException } from '@nestjs/common';
import { type ModelVersion, registryRoutes as api, type RouteParams, type RouteQuery, type RouteResponse } from '@mlops/contracts';
import { ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { ModelVersionRepository } from '../model-versions/model-version.repository';

@Controller()
export class ModelVersionsController {
  constructor(private readonly versions: ModelVersionRepository) {}

  @ContractRoute(api.listVersions)
  async list(
    @ContractParams(api.listVersions) { name }: RouteParams<typeof api.listVersions>,
    @ContractQuery(api.listVersions) query: RouteQuery<typeof api.listVersions>,
  ): Promise<RouteResponse<typeof api.listVersions>> {
    const { metric, min, max, ...filters } = query;
    return { items: await this.versions.search(name, { ...filters, ...(metric ? { metric: { name: metric, min, max } } : {}) }) };
  }

  @ContractRoute(api.getVersion)
  async get(@ContractParams(api.getVersion) { name, version }: RouteParams<typeof api.getVersion>): Promise<ModelVersion> {
    const found = await this.versions.find(name, version);
    if (!found) throw new NotFoundException(`model ${name} has no version ${version}`);
    return found;
  }
}
