import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { ApplyDefinitions, InvalidDefinitionsError } from './apply-definitions.use-case';
import { DefinitionRepository } from './definition.repository';
import type { DefinitionPlan } from './definition-plan';
import { DefinitionFile, describeIssues, EntityDefinition, FeatureViewDefinition, FeatureViewVersion } from './feature-definitions';
import { FeatureCatalog } from './feature-catalog';

const jsonSchema = (schema: z.ZodType): SchemaObject => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaObject;

function parse<T>(schema: z.ZodType<T>, body: unknown, prefix?: string): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadRequestException(describeIssues(result.error, prefix));
  return result.data;
}

@ApiTags('definitions')
@Controller()
export class DefinitionsController {
  constructor(
    private readonly applyDefinitions: ApplyDefinitions,
    private readonly repository: DefinitionRepository,
    private readonly catalog: FeatureCatalog,
  ) {}

  @Post('plan')
  @RequirePermission('features:read')
  @HttpCode(200)
  @ApiBody({ schema: jsonSchema(DefinitionFile) })
  @ApiOkResponse({ description: 'What applying the definitions would change, with a diff per object, and any errors' })
  async plan(@Body() body: unknown): Promise<DefinitionPlan> {
    return this.applyDefinitions.plan(parse(DefinitionFile, body));
  }

  @Post('apply')
  @RequirePermission('features:write')
  @HttpCode(200)
  @ApiBody({ schema: jsonSchema(DefinitionFile) })
  @ApiOkResponse({ description: 'The changes made; views whose schema or source changed got a new version' })
  @ApiBadRequestResponse({ description: 'Each invalid field with the reason' })
  async apply(@Body() body: unknown): Promise<DefinitionPlan> {
    return this.applyOrExplain(parse(DefinitionFile, body));
  }

  @Post('entities')
  @RequirePermission('features:write')
  @HttpCode(200)
  @ApiBody({ schema: jsonSchema(EntityDefinition) })
  @ApiOkResponse({ description: 'The entity was created or updated' })
  async putEntity(@Body() body: unknown): Promise<DefinitionPlan> {
    return this.applyOrExplain({ entities: [parse(EntityDefinition, body)], featureViews: [] });
  }

  @Get('entities')
  @RequirePermission('features:read')
  @ApiOkResponse({ description: 'Every entity' })
  async entities(): Promise<{ items: EntityDefinition[] }> {
    return { items: await this.repository.entities() };
  }

  @Get('entities/:name')
  @RequirePermission('features:read')
  @ApiOkResponse({ description: 'One entity' })
  @ApiNotFoundResponse({ description: 'No such entity' })
  async entity(@Param('name') name: string): Promise<EntityDefinition> {
    const found = (await this.repository.entities()).find((e) => e.name === name);
    if (!found) throw new NotFoundException(`no entity ${name}`);
    return found;
  }

  @Post('feature-views')
  @RequirePermission('features:write')
  @HttpCode(200)
  @ApiBody({ schema: jsonSchema(FeatureViewDefinition) })
  @ApiOkResponse({ description: 'The view was created, updated in place (metadata) or given a new version (schema/source)' })
  async putFeatureView(@Body() body: unknown): Promise<DefinitionPlan> {
    return this.applyOrExplain({ entities: [], featureViews: [parse(FeatureViewDefinition, body)] });
  }

  @Get('feature-views')
  @RequirePermission('features:read')
  @ApiOkResponse({ description: 'The newest version of every feature view' })
  async featureViews(): Promise<{ items: FeatureViewVersion[] }> {
    await this.catalog.refresh();
    return { items: this.catalog.latest() };
  }

  @Get('feature-views/:name')
  @RequirePermission('features:read')
  @ApiQuery({ name: 'version', required: false, type: Number })
  @ApiOkResponse({ description: 'The newest version of the view, or the one asked for' })
  @ApiNotFoundResponse({ description: 'No such view or version' })
  async featureView(@Param('name') name: string, @Query('version') version?: string): Promise<FeatureViewVersion> {
    if (version !== undefined && !/^\d+$/.test(version)) throw new BadRequestException('version must be a positive integer');
    await this.catalog.refresh();
    const found = this.catalog.view(name, version === undefined ? undefined : Number(version));
    if (!found) throw new NotFoundException(`no feature view ${name}${version ? ` version ${version}` : ''}`);
    return found;
  }

  @Get('feature-views/:name/versions')
  @RequirePermission('features:read')
  @ApiOkResponse({ description: 'Every version of the view, oldest first' })
  async featureViewVersions(@Param('name') name: string): Promise<{ items: FeatureViewVersion[] }> {
    await this.catalog.refresh();
    const items = this.catalog.viewVersions(name);
    if (items.length === 0) throw new NotFoundException(`no feature view ${name}`);
    return { items };
  }

  private async applyOrExplain(file: DefinitionFile): Promise<DefinitionPlan> {
    try {
      return await this.applyDefinitions.apply(file);
    } catch (err) {
      if (err instanceof InvalidDefinitionsError) throw new BadRequestException(err.problems);
      throw err;
    }
  }
}
