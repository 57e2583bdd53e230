import { ConflictException, Controller, NotFoundException } from '@nestjs/common';
import { type RegisteredModel, registryRoutes as api, type RouteBody, type RouteParams, type RouteQuery, type RouteResponse } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { RegisteredModelRepository } from '../models/registered-model.repository';

@Controller()
export class ModelsController {
  constructor(private readonly models: RegisteredModelRepository) {}

  @ContractRoute(api.createModel)
  async create(@ContractBody(api.createModel) model: RouteBody<typeof api.createModel>): Promise<RegisteredModel> {
    if (!(await this.models.create(model))) throw new ConflictException(`model ${model.name} exists already`);
    return (await this.models.find(model.name)) as RegisteredModel;
  }

  @ContractRoute(api.searchModels)
  async search(@ContractQuery(api.searchModels) query: RouteQuery<typeof api.searchModels>): Promise<RouteResponse<typeof api.searchModels>> {
    const { q, ...filters } = query;
    return { items: await this.models.search({ ...filters, query: q }) };
  }

  @ContractRoute(api.getModel)
  async get(@ContractParams(api.getModel) { name }: RouteParams<typeof api.getModel>): Promise<RegisteredModel> {
    const model = await this.models.find(name);
    if (!model) throw new NotFoundException(`model ${name} does not exist`);
    return model;
  }
}
