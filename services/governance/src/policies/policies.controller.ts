import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { PolicyFile, PolicyPlan, PolicyRecord } from '@mlops/contracts';
import { modelNameParam, versionParam } from '../http/path-params';
import { openApiSchema, parseInput } from '../http/parse-input';
import { ApplyPolicies } from './apply-policies.use-case';
import { PolicyRepository } from './policy.repository';

@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(
    private readonly applyPolicies: ApplyPolicies,
    private readonly policies: PolicyRepository,
  ) {}

  @Post('plan')
  @HttpCode(200)
  @RequirePermission('governance:read')
  @ApiBody({ schema: openApiSchema(PolicyFile) })
  @ApiOkResponse({ description: 'What applying the file would change, a diff per policy, and any problems', schema: openApiSchema(PolicyPlan) })
  async plan(@Body() body: unknown): Promise<PolicyPlan> {
    return this.applyPolicies.plan(parseInput(PolicyFile, body));
  }

  @Post('apply')
  @HttpCode(200)
  @RequirePermission('policies:write')
  @ApiBody({ schema: openApiSchema(PolicyFile) })
  @ApiOkResponse({ description: 'The changes made: each changed policy got a new version', schema: openApiSchema(PolicyPlan) })
  @ApiBadRequestResponse({ description: 'Each invalid field with the reason; nothing was applied' })
  async apply(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<PolicyPlan> {
    return this.applyPolicies.apply(parseInput(PolicyFile, body), principal.name);
  }

  @Get()
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: 'The policy in force for every model that has one' })
  async list(): Promise<{ items: PolicyRecord[] }> {
    return { items: [...(await this.policies.inForce()).values()] };
  }

  @Get(':model')
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: 'The policy in force for the model' })
  @ApiNotFoundResponse({ description: 'No policy was applied for the model: its versions are judged by the default policy' })
  async inForce(@Param('model', modelNameParam) model: string): Promise<PolicyRecord> {
    const versions = await this.policies.versions(model);
    if (!versions.length) throw new NotFoundException(noPolicy(model));
    return versions[versions.length - 1];
  }

  @Get(':model/versions')
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: 'Every version of the model\'s policy, oldest first' })
  @ApiNotFoundResponse({ description: 'No policy was applied for the model' })
  async versions(@Param('model', modelNameParam) model: string): Promise<{ items: PolicyRecord[] }> {
    const items = await this.policies.versions(model);
    if (!items.length) throw new NotFoundException(noPolicy(model));
    return { items };
  }

  @Get(':model/versions/:version')
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: 'One version of the model\'s policy' })
  @ApiNotFoundResponse({ description: 'No such policy version' })
  async version(@Param('model', modelNameParam) model: string, @Param('version', versionParam) version: number): Promise<PolicyRecord> {
    const found = (await this.policies.versions(model)).find((p) => p.version === version);
    if (!found) throw new NotFoundException(`model ${model} has no policy version ${version}`);
    return found;
  }
}

const noPolicy = (model: string) => `no policy was applied for model ${model}; its versions are judged by the default policy`;
