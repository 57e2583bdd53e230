import { BadRequestException, Controller, NotFoundException } from '@nestjs/common';
import {
  type DefinitionFile,
  type DefinitionPlan,
  type EntityDefinition,
  featureStoreRoutes as api,
  type FeatureViewVersion,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '@mlops/contracts';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { ApplyDefinitions, InvalidDefinitionsError } from './apply-definitions.use-case';
import { DefinitionRepository } from './definition.repository';
import { FeatureCatalog } from './feature-catalog';

@Controller()
export class DefinitionsController {
  constructor(
    private readonly applyDefinitions: ApplyDefinitions,
    private readonly repository: DefinitionRepository,
    private readonly catalog: FeatureCatalog,
  ) {}

  @ContractRoute(api.plan)
  async plan(@ContractBody(api.plan) file: RouteBody<typeof api.plan>): Promise<DefinitionPlan> {
    return this.applyDefinitions.plan(file);
  }

  @ContractRoute(api.apply)
  async apply(@ContractBody(api.apply) file: RouteBody<typeof api.apply>): Promise<DefinitionPlan> {
    return this.applyOrExplain(file);
  }

  @ContractRoute(api.putEntity)
  async putEntity(@ContractBody(api.putEntity) entity: RouteBody<typeof api.putEntity>): Promise<DefinitionPlan> {
    return this.applyOrExplain({ entities: [entity], featureViews: [] });
  }

  @ContractRoute(api.listEntities)
  async entities(): Promise<RouteResponse<typeof api.listEntities>> {
    return { items: await this.repository.entities() };
  }

  @ContractRoute(api.getEntity)
  async entity(@ContractParams(api.getEntity) { name }: RouteParams<typeof api.getEntity>): Promise<EntityDefinition> {
    const found = (await this.repository.entities()).find((e) => e.name === name);
    if (!found) throw new NotFoundException(`no entity ${name}`);
    return found;
  }

  @ContractRoute(api.putFeatureView)
  async putFeatureView(@ContractBody(api.putFeatureView) view: RouteBody<typeof api.putFeatureView>): Promise<DefinitionPlan> {
    return this.applyOrExplain({ entities: [], featureViews: [view] });
  }

  @ContractRoute(api.listFeatureViews)
  async featureViews(): Promise<RouteResponse<typeof api.listFeatureViews>> {
    await this.catalog.refresh();
    return { items: this.catalog.latest() };
  }

  @ContractRoute(api.getFeatureView)
  async featureView(
    @ContractParams(api.getFeatureView) { name }: RouteParams<typeof api.getFeatureView>,
    @ContractQuery(api.getFeatureView) { version }: RouteQuery<typeof api.getFeatureView>,
  ): Promise<FeatureViewVersion> {
    await this.catalog.refresh();
    const found = this.catalog.view(name, version);
    if (!found) throw new NotFoundException(`no feature view ${name}${version ? ` version ${version}` : ''}`);
    return found;
  }

  @ContractRoute(api.listFeatureViewVersions)
  async featureViewVersions(
    @ContractParams(api.listFeatureViewVersions) { name }: RouteParams<typeof api.listFeatureViewVersions>,
  ): Promise<RouteResponse<typeof api.listFeatureViewVersions>> {
    await this.catalog.refresh();
    const items = this.catalog.viewVersions(name);
    if (items.length === 0) throw new NotFoundException(`no feature view ${name}`);
    return { items };
  }

  private async applyOrExplain(file: DefinitionFile): Promise<DefinitionPlan> {
    try {
      return await this.applyDefinitions.apply(file);
    } catch (err) {
      if (err instanceof InvalidDefinitionsError) throw new BadRequestException(err.problems);
      throw err;
    }
  }
}
