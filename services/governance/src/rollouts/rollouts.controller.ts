import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { DecisionRequest, ModelName, RolloutList, RolloutRecord } from '@mlops/contracts';
import { uuidParam } from '../http/path-params';
import { openApiSchema, parseInput } from '../http/parse-input';
import { DecideRollout } from './decide-rollout.use-case';
import { RolloutRepository } from './rollout.repository';

@ApiTags('rollouts')
@Controller('rollouts')
export class RolloutsController {
  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly decideRollout: DecideRollout,
  ) {}

  @Get()
  @RequirePermission('governance:read')
  @ApiQuery({ name: 'model', required: false })
  @ApiOkResponse({ description: 'Rollout verdicts received and what governance made of them, newest first', schema: openApiSchema(RolloutList) })
  async list(@Query('model') model?: string): Promise<{ items: RolloutRecord[] }> {
    return { items: await this.rollouts.list(model === undefined ? undefined : parseInput(ModelName, model, 'query.model')) };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiBody({ schema: openApiSchema(DecisionRequest) })
  @ApiOkResponse({ description: 'The promotion, Applied: the registry makes the challenger the champion', schema: openApiSchema(RolloutRecord) })
  @ApiNotFoundResponse({ description: 'No such rollout decision' })
  @ApiConflictResponse({ description: 'The decision does not wait for an approver' })
  async approve(@Param('id', uuidParam) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<RolloutRecord> {
    return this.decideRollout.byReviewer(id, principal, 'approve', parseInput(DecisionRequest, body).reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('approvals:decide')
  @ApiBody({ schema: openApiSchema(DecisionRequest) })
  @ApiOkResponse({ description: 'The promotion, Rejected: the deployment stays as it is', schema: openApiSchema(RolloutRecord) })
  @ApiNotFoundResponse({ description: 'No such rollout decision' })
  @ApiConflictResponse({ description: 'The decision does not wait for an approver' })
  async reject(@Param('id', uuidParam) id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<RolloutRecord> {
    return this.decideRollout.byReviewer(id, principal, 'reject', parseInput(DecisionRequest, body).reason);
  }
}
