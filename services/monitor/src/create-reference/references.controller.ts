import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequirePermission } from '@mlops/auth';
import { CreateReferenceRequest, ReferenceSummary } from '@mlops/contracts';
import { modelNameParam, parseInput } from '../http/parse-input';
import { referenceSummary, ReferenceRepository } from '../references/reference.repository';
import { CreateReference } from './create-reference.use-case';

@ApiTags('references')
@Controller()
export class ReferencesController {
  constructor(
    private readonly createReference: CreateReference,
    private readonly references: ReferenceRepository,
  ) {}

  @Post('references')
  @HttpCode(201)
  @RequirePermission('monitor:write')
  @ApiBody({
    description: 'A Parquet dataset snapshot to profile as the reference of a model version trained elsewhere',
    schema: { example: { modelName: 'fraud', version: 1, dataset: { uri: 's3://mlops-datasets/fraud/holdout.parquet' }, features: ['amount', 'age'], predictionColumn: 'score', labelColumn: 'label' } },
  })
  @ApiCreatedResponse({ description: 'The stored reference (ReferenceSummary)' })
  @ApiUnprocessableEntityResponse({ description: 'The dataset lacks a named column or cannot be read' })
  async create(@Body() body: unknown): Promise<ReferenceSummary> {
    return this.createReference.execute(parseInput(CreateReferenceRequest, body));
  }

  @Get('models/:name/references')
  @RequirePermission('monitor:read')
  @ApiOkResponse({ description: "The model's reference profiles, newest version first" })
  async list(@Param('name', modelNameParam) name: string): Promise<{ items: ReferenceSummary[] }> {
    return { items: (await this.references.ofModel(name)).map(referenceSummary) };
  }
}
