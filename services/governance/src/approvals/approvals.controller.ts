import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { Approval, ApprovalList, ApprovalQuery, ApprovalStatus, DecisionRequest } from '@mlops/contracts';
import { modelNameParam, versionParam } from '../http/path-params';
import { openApiSchema, parseInput } from '../http/parse-input';
import { ApprovalRepository } from './approval.repository';
import { Decision, DecideApproval } from './decide-approval.use-case';
import { RecheckApproval } from './recheck-approval.use-case';

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalRepository,
    private readonly decide: DecideApproval,
    private readonly recheck: RecheckApproval,
  ) {}

  @Get()
  @RequirePermission('governance:read')
  @ApiQuery({ name: 'status', required: false, enum: ApprovalStatus.options })
  @ApiQuery({ name: 'model', required: false })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ description: 'Approval requests, newest first', schema: openApiSchema(ApprovalList) })
  async list(@Query() query: Record<string, unknown>): Promise<ApprovalList> {
    return { items: await this.approvals.list(parseInput(ApprovalQuery, query, 'query')) };
  }

  @Get(':model/:version')
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: 'The request with its latest check results (evidence, thresholds) and every decision', schema: openApiSchema(Approval) })
  @ApiNotFoundResponse({ description: 'The version has no approval request (not registered, or its checks still wait for its training run)' })
  async show(@Param('model', modelNameParam) model: string, @Param('version', versionParam) version: number): Promise<Approval> {
    const approval = await this.approvals.find(model, version);
    if (!approval) throw new NotFoundException(`version ${version} of ${model} has no approval request`);
    return approval;
  }

  @Post(':model/:version/approve')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiBody({ schema: openApiSchema(DecisionRequest) })
  @ApiOkResponse({ description: 'The request after the approval: Approved once enough distinct approvers agreed', schema: openApiSchema(Approval) })
  @ApiForbiddenResponse({ description: 'Separation of duties: the reviewer requested, registered or owns the version, or approved it already' })
  @ApiConflictResponse({ description: 'Decided already, or a check failed' })
  async approve(
    @Param('model', modelNameParam) model: string,
    @Param('version', versionParam) version: number,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Approval> {
    return this.decideOn(model, version, 'approve', body, principal);
  }

  @Post(':model/:version/reject')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiBody({ schema: openApiSchema(DecisionRequest) })
  @ApiOkResponse({ description: 'The request, Rejected', schema: openApiSchema(Approval) })
  @ApiConflictResponse({ description: 'Decided already' })
  async reject(
    @Param('model', modelNameParam) model: string,
    @Param('version', versionParam) version: number,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Approval> {
    return this.decideOn(model, version, 'reject', body, principal);
  }

  @Post(':model/:version/revoke')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiBody({ schema: openApiSchema(DecisionRequest) })
  @ApiOkResponse({ description: 'The request, Revoked: the registry takes the version out of serving', schema: openApiSchema(Approval) })
  @ApiConflictResponse({ description: 'The version is not approved' })
  async revoke(
    @Param('model', modelNameParam) model: string,
    @Param('version', versionParam) version: number,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Approval> {
    return this.decideOn(model, version, 'revoke', body, principal);
  }

  @Post(':model/:version/recheck')
  @HttpCode(200)
  @RequirePermission('models:write')
  @ApiOkResponse({ description: 'The request judged again by the policy and facts of now', schema: openApiSchema(Approval) })
  @ApiConflictResponse({ description: 'The request is decided already' })
  async recheckOne(@Param('model', modelNameParam) model: string, @Param('version', versionParam) version: number): Promise<Approval> {
    return this.recheck.execute(model, version);
  }

  private decideOn(model: string, version: number, decision: Decision, body: unknown, principal: Principal): Promise<Approval> {
    return this.decide.execute(model, version, principal, decision, parseInput(DecisionRequest, body).reason);
  }
}

