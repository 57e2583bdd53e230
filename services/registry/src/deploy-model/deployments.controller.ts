import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { parseInput } from '@mlops/service-kit';
import { DeploymentHistoryEntry, DeploymentRequest, DeploymentSpec } from '../deployments/deployment';
import { DeploymentRepository } from '../deployments/deployment.repository';
import { modelNameParam } from '../http/model-name.pipe';
import { DeployModel } from './deploy-model.use-case';

const atQuery = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with an offset, e.g. 2026-01-02T03:04:05Z' });

@ApiTags('deployments')
@Controller()
export class DeploymentsController {
  constructor(
    private readonly deployModel: DeployModel,
    private readonly deployments: DeploymentRepository,
  ) {}

  @Post('models/:name/deployments')
  @RequirePermission('deployments:write')
  @HttpCode(201)
  @ApiBody({
    description: 'champion version (or null to stop serving), optional challenger, and why; the change is recorded as made by the caller',
    schema: {
      example: { champion: 3, challenger: { version: 4, mode: 'canary', weight: 0.1 }, reason: 'canary v4' },
    },
  })
  @ApiCreatedResponse({ description: 'The new serving spec, as published in mlops.registry.deployment-changed' })
  @ApiNotFoundResponse({ description: 'No such model or version' })
  @ApiConflictResponse({ description: 'A named version is not READY or not approved' })
  async deploy(@Param('name', modelNameParam) name: string, @Body() body: unknown, @CurrentPrincipal() caller: Principal): Promise<DeploymentSpec> {
    return this.deployModel.execute(name, { ...parseInput(DeploymentRequest, body), changedBy: caller.name });
  }

  @Get('deployments')
  @RequirePermission('models:read')
  @ApiOkResponse({ description: 'The current serving spec of every model that has one (deployment-changed data)' })
  async current(): Promise<{ items: DeploymentSpec[] }> {
    return { items: await this.deployments.current() };
  }

  @Get('models/:name/deployments/history')
  @RequirePermission('models:read')
  @ApiQuery({ name: 'at', required: false, description: 'ISO time: answer only what was serving then' })
  @ApiOkResponse({ description: 'Every serving spec with validFrom/validTo, or the one serving at `at`' })
  @ApiNotFoundResponse({ description: 'Nothing served the model at that time' })
  async history(
    @Param('name', modelNameParam) name: string,
    @Query('at') at?: string,
  ): Promise<{ items: DeploymentHistoryEntry[] }> {
    if (at === undefined) return { items: await this.deployments.history(name) };
    const when = new Date(parseInput(atQuery, at, 'query.at'));
    const serving = await this.deployments.servingAt(name, when);
    if (!serving) throw new NotFoundException(`nothing served model ${name} at ${when.toISOString()}`);
    return { items: [serving] };
  }
}
