import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { parseInput } from '@mlops/service-kit';
import { modelNameParam } from '../http/model-name.pipe';
import { versionParam } from '../http/version.pipe';
import { NumberText, Page, TagFilter } from '../http/query-schemas';
import type { ModelVersion } from '../model-versions/model-version';
import { ModelVersionRepository } from '../model-versions/model-version.repository';

const VersionQuery = z
  .object({
    status: z.enum(['PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION']).optional(),
    approvalStatus: z.enum(['pending', 'approved', 'rejected', 'revoked']).optional(),
    tag: TagFilter,
    metric: z.string().min(1).optional(),
    min: NumberText.optional(),
    max: NumberText.optional(),
    ...Page,
  })
  .refine((q) => q.metric !== undefined || (q.min === undefined && q.max === undefined), {
    path: ['metric'],
    message: 'is required with min or max (e.g. metric=auc&min=0.8)',
  })
  .refine((q) => q.metric === undefined || q.min !== undefined || q.max !== undefined, {
    path: ['metric'],
    message: 'needs min or max to filter by (e.g. metric=accuracy&min=0.8)',
  });

@ApiTags('versions')
@Controller('models/:name/versions')
export class ModelVersionsController {
  constructor(private readonly versions: ModelVersionRepository) {}

  @Get()
  @RequirePermission('models:read')
  @ApiQuery({ name: 'status', required: false, enum: ['PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION'] })
  @ApiQuery({ name: 'approvalStatus', required: false, enum: ['pending', 'approved', 'rejected', 'revoked'] })
  @ApiQuery({ name: 'tag', required: false, description: '`key` or `key:value`' })
  @ApiQuery({ name: 'metric', required: false, description: 'metric the min/max threshold applies to, e.g. auc; given with min, max or both' })
  @ApiQuery({ name: 'min', required: false, type: Number })
  @ApiQuery({ name: 'max', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ description: 'Versions of the model matching every filter, newest first' })
  @ApiBadRequestResponse({ description: 'A filter is invalid; the message names it' })
  async list(@Param('name', modelNameParam) name: string, @Query() query: Record<string, unknown>): Promise<{ items: ModelVersion[] }> {
    const { metric, min, max, ...filters } = parseInput(VersionQuery, query, 'query');
    return { items: await this.versions.search(name, { ...filters, ...(metric ? { metric: { name: metric, min, max } } : {}) }) };
  }

  @Get(':version')
  @RequirePermission('models:read')
  @ApiOkResponse({ description: 'One version with its artifact, signature, metrics and lineage' })
  @ApiNotFoundResponse({ description: 'No such model version' })
  async get(@Param('name', modelNameParam) name: string, @Param('version', versionParam) version: number): Promise<ModelVersion> {
    const found = await this.versions.find(name, version);
    if (!found) throw new NotFoundException(`model ${name} has no version ${version}`);
    return found;
  }
}
