import { Controller, NotFoundException } from '@nestjs/common';
import { type ModelAlias, registryRoutes as api, type RouteBody, type RouteParams, type RouteResponse } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { ModelVersionRepository } from '../model-versions/model-version.repository';
import { AliasRepository } from './alias.repository';

@Controller()
export class AliasesController {
  constructor(
    private readonly aliases: AliasRepository,
    private readonly versions: ModelVersionRepository,
  ) {}

  @ContractRoute(api.listAliases)
  async list(@ContractParams(api.listAliases) { name }: RouteParams<typeof api.listAliases>): Promise<RouteResponse<typeof api.listAliases>> {
    return { items: await this.aliases.list(name) };
  }

  @ContractRoute(api.setAlias)
  async set(
    @ContractParams(api.setAlias) { name, alias }: RouteParams<typeof api.setAlias>,
    @ContractBody(api.setAlias) { version }: RouteBody<typeof api.setAlias>,
  ): Promise<ModelAlias> {
    if (!(await this.versions.find(name, version))) throw new NotFoundException(`model ${name} has no version ${version}`);
    return this.aliases.set(name, alias, version);
  }

  @ContractRoute(api.removeAlias)
  async remove(@ContractParams(api.removeAlias) { name, alias }: RouteParams<typeof api.removeAlias>): Promise<void> {
    if (!(await this.aliases.remove(name, alias))) throw new NotFoundException(`model ${name} has no alias ${alias}`);
  }
}
