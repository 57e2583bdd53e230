import { Controller, NotFoundException } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { type Approval, type ApprovalList, governanceRoutes as api, type RouteBody, type RouteParams, type RouteQuery } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { ApprovalRepository } from './approval.repository';
import { DecideApproval } from './decide-approval.use-case';
import { RecheckApproval } from './recheck-approval.use-case';

type DecisionPath = RouteParams<typeof api.approveVersion>;
type DecisionBody = RouteBody<typeof api.approveVersion>;

@Controller()
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalRepository,
    private readonly decide: DecideApproval,
    private readonly recheck: RecheckApproval,
  ) {}

  @ContractRoute(api.listApprovals)
  async list(@ContractQuery(api.listApprovals) query: RouteQuery<typeof api.listApprovals>): Promise<ApprovalList> {
    return { items: await this.approvals.list(query) };
  }

  @ContractRoute(api.showApproval)
  async show(@ContractParams(api.showApproval) { model, version }: RouteParams<typeof api.showApproval>): Promise<Approval> {
    const approval = await this.approvals.find(model, version);
    if (!approval) throw new NotFoundException(`version ${version} of ${model} has no approval request`);
    return approval;
  }

  @ContractRoute(api.approveVersion)
  approve(@ContractParams(api.approveVersion) path: DecisionPath, @ContractBody(api.approveVersion) { reason }: DecisionBody, @CurrentPrincipal() principal: Principal): Promise<Approval> {
    return this.decide.execute(path.model, path.version, principal, 'approve', reason);
  }

  @ContractRoute(api.rejectVersion)
  reject(@ContractParams(api.rejectVersion) path: DecisionPath, @ContractBody(api.rejectVersion) { reason }: DecisionBody, @CurrentPrincipal() principal: Principal): Promise<Approval> {
    return this.decide.execute(path.model, path.version, principal, 'reject', reason);
  }

  @ContractRoute(api.revokeVersion)
  revoke(@ContractParams(api.revokeVersion) path: DecisionPath, @ContractBody(api.revokeVersion) { reason }: DecisionBody, @CurrentPrincipal() principal: Principal): Promise<Approval> {
    return this.decide.execute(path.model, path.version, principal, 'revoke', reason);
  }

  @ContractRoute(api.recheckApproval)
  recheckOne(@ContractParams(api.recheckApproval) { model, version }: RouteParams<typeof api.recheckApproval>): Promise<Approval> {
    return this.recheck.execute(model, version);
  }
}
