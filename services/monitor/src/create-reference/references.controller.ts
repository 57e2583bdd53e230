import { Controller } from '@nestjs/common';
import { monitorRoutes as api, type ReferenceSummary, type RouteBody, type RouteParams, type RouteResponse } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { referenceSummary, ReferenceRepository } from '../references/reference.repository';
import { CreateReference } from './create-reference.use-case';

@Controller()
export class ReferencesController {
  constructor(
    private readonly createReference: CreateReference,
    private readonly references: ReferenceRepository,
  ) {}

  @ContractRoute(api.createReference)
  async create(@ContractBody(api.createReference) request: RouteBody<typeof api.createReference>): Promise<ReferenceSummary> {
    return this.createReference.execute(request);
  }

  @ContractRoute(api.listReferences)
  async list(@ContractParams(api.listReferences) { name }: RouteParams<typeof api.listReferences>): Promise<RouteResponse<typeof api.listReferences>> {
    return { items: (await this.references.ofModel(name)).map(referenceSummary) };
  }
}
