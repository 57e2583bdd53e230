import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@mlops/auth';
import { MonitoringPolicy } from '@mlops/contracts';
import { modelNameParam, parseInput } from '../http/parse-input';
import { PolicyRepository } from '../policies/policy.repository';
import { MonitoredModels } from '../references/monitored-models';

@ApiTags('policies')
@Controller('models/:name/policy')
export class PolicyController {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly models: MonitoredModels,
  ) {}

  @Put()
  @RequirePermission('monitor:write')
  @ApiBody({
    description: 'How the model is watched; omitted fields take their defaults',
    schema: { example: { window: { maxRows: 5000, maxSeconds: 900 }, drift: { sampleSizeAware: true }, retraining: { enabled: true, cooldownSeconds: 86400, maxPerDay: 1 } } },
  })
  @ApiOkResponse({ description: 'The stored policy with every default filled in' })
  async set(@Param('name', modelNameParam) name: string, @Body() body: unknown): Promise<MonitoringPolicy> {
    const policy = parseInput(MonitoringPolicy, body);
    await this.policies.save(name, policy);
    this.models.setPolicy(name, policy);
    return policy;
  }

  @Get()
  @RequirePermission('monitor:read')
  @ApiOkResponse({ description: "The model's policy (the defaults when none was set)" })
  get(@Param('name', modelNameParam) name: string): MonitoringPolicy {
    return this.models.policy(name);
  }
}
