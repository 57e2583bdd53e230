import { Controller, NotFoundException } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { governanceRoutes as api, type PolicyPlan, type PolicyRecord, type RouteBody, type RouteParams } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { ApplyPolicies } from './apply-policies.use-case';
import { PolicyRepository } from './policy.repository';

@Controller()
export class PoliciesController {
  constructor(
    private readonly applyPolicies: ApplyPolicies,
    private readonly policies: PolicyRepository,
  ) {}

  @ContractRoute(api.planPolicies)
  plan(@ContractBody(api.planPolicies) file: RouteBody<typeof api.planPolicies>): Promise<PolicyPlan> {
    return this.applyPolicies.plan(file);
  }

  @ContractRoute(api.applyPolicies)
  apply(@ContractBody(api.applyPolicies) file: RouteBody<typeof api.applyPolicies>, @CurrentPrincipal() principal: Principal): Promise<PolicyPlan> {
    return this.applyPolicies.apply(file, principal.name);
  }

  @ContractRoute(api.listPolicies)
  async list(): Promise<{ items: PolicyRecord[] }> {
    return { items: [...(await this.policies.inForce()).values()] };
  }

  @ContractRoute(api.policyInForce)
  async inForce(@ContractParams(api.policyInForce) { model }: RouteParams<typeof api.policyInForce>): Promise<PolicyRecord> {
    const versions = await this.versionsOf(model);
    return versions[versions.length - 1];
  }

  @ContractRoute(api.policyVersions)
  async versions(@ContractParams(api.policyVersions) { model }: RouteParams<typeof api.policyVersions>): Promise<{ items: PolicyRecord[] }> {
    return { items: await this.versionsOf(model) };
  }

  @ContractRoute(api.policyVersion)
  async version(@ContractParams(api.policyVersion) { model, version }: RouteParams<typeof api.policyVersion>): Promise<PolicyRecord> {
    const found = (await this.policies.versions(model)).find((p) => p.version === version);
    if (!found) throw new NotFoundException(`model ${model} has no policy version ${version}`);
    return found;
  }

  private async versionsOf(model: string): Promise<PolicyRecord[]> {
    const versions = await this.policies.versions(model);
    if (!versions.length) throw new NotFoundException(`no policy was applied for model ${model}; its versions are judged by the default policy`);
    return versions;
  }
}
