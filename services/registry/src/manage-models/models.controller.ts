import { Body, ConflictException, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { RiskTier } from '@mlops/contracts';
import { parseInput } from '@mlops/service-kit';
import { modelNameParam } from '../http/model-name.pipe';
import { Page, TagFilter } from '../http/query-schemas';
import { NewRegisteredModel, RegisteredModel } from '../models/registered-model';
import { RegisteredModelRepository } from '../models/registered-model.repository';

const ModelQuery = z.object({
  q: z.string().min(1).optional(),
  owner: z.string().min(1).optional(),
  riskTier: RiskTier.optional(),
  tag: TagFilter,
  ...Page,
});

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: RegisteredModelRepository) {}

  @Post()
  @RequirePermission('models:write')
  @ApiBody({
    schema: { example: { name: 'churn', owner: 'team-growth', description: 'Monthly churn', riskTier: 'limited', tags: { team: 'growth' } } },
  })
  @ApiCreatedResponse({ description: 'The registered model' })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; the message names it' })
  @ApiConflictResponse({ description: 'A model of that name exists' })
  async create(@Body() body: unknown): Promise<RegisteredModel> {
    const model = parseInput(NewRegisteredModel, body);
    if (!(await this.models.create(model))) throw new ConflictException(`model ${model.name} exists already`);
    return (await this.models.find(model.name)) as RegisteredModel;
  }

  @Get()
  @RequirePermission('models:read')
  @ApiQuery({ name: 'q', required: false, description: 'text in the name or description' })
  @ApiQuery({ name: 'owner', required: false })
  @ApiQuery({ name: 'riskTier', required: false, enum: RiskTier.options })
  @ApiQuery({ name: 'tag', required: false, description: '`key` or `key:value`' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ description: 'Models matching every filter, by name' })
  async search(@Query() query: Record<string, unknown>): Promise<{ items: RegisteredModel[] }> {
    const { q, ...filters } = parseInput(ModelQuery, query, 'query');
    return { items: await this.models.search({ ...filters, query: q }) };
  }

  @Get(':name')
  @RequirePermission('models:read')
  @ApiOkResponse({ description: 'One model' })
  @ApiNotFoundResponse({ description: 'No such model' })
  async get(@Param('name', modelNameParam) name: string): Promise<RegisteredModel> {
    const model = await this.models.find(name);
    if (!model) throw new NotFoundException(`model ${name} does not exist`);
    return model;
  }
}
