import { ConflictException, Controller, NotFoundException } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { governanceRoutes as api, type PrincipalView, type RouteBody, type RouteParams, type RouteQuery } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { PrincipalRepository } from './principal.repository';

@Controller()
export class PrincipalsController {
  constructor(private readonly principals: PrincipalRepository) {}

  @ContractRoute(api.createPrincipal)
  async create(@ContractBody(api.createPrincipal) request: RouteBody<typeof api.createPrincipal>, @CurrentPrincipal() caller: Principal): Promise<PrincipalView> {
    const created = await this.principals.create({ ...request, roles: [...new Set(request.roles)], createdBy: caller.name });
    if (!created) throw new ConflictException(`a principal named ${request.name} exists already`);
    return created;
  }

  @ContractRoute(api.listPrincipals)
  async list(@ContractQuery(api.listPrincipals) { name }: RouteQuery<typeof api.listPrincipals>): Promise<{ items: PrincipalView[] }> {
    if (name === undefined) return { items: await this.principals.list() };
    const found = await this.principals.findByName(name);
    return { items: found ? [found] : [] };
  }

  @ContractRoute(api.getPrincipal)
  async get(@ContractParams(api.getPrincipal) { id }: RouteParams<typeof api.getPrincipal>): Promise<PrincipalView> {
    const principal = await this.principals.find(id);
    if (!principal) throw new NotFoundException(`principal ${id} does not exist`);
    return principal;
  }
}
