import { BadRequestException, Controller, DefaultValuePipe, Get, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiNotFoundResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ModelVersion } from '../model-versions/model-version';
import { ModelVersionRepository } from '../model-versions/model-version.repository';

const integer = (field: string) =>
  new ParseIntPipe({ exceptionFactory: () => new BadRequestException(`${field} must be an integer`) });

@ApiTags('versions')
@Controller('models/:name/versions')
export class ModelVersionsController {
  constructor(private readonly versions: ModelVersionRepository) {}

  @Get()
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ description: 'Versions of the model, newest first' })
  async list(
    @Param('name') name: string,
    @Query('limit', new DefaultValuePipe(50), integer('limit')) limit: number,
    @Query('offset', new DefaultValuePipe(0), integer('offset')) offset: number,
  ): Promise<{ items: ModelVersion[] }> {
    return { items: await this.versions.list(name, Math.min(Math.max(limit, 1), 500), Math.max(offset, 0)) };
  }

  @Get(':version')
  @ApiOkResponse({ description: 'One version with its artifact, signature, metrics and lineage' })
  @ApiNotFoundResponse({ description: 'No such model version' })
  async get(@Param('name') name: string, @Param('version', integer('version')) version: number): Promise<ModelVersion> {
    const found = await this.versions.find(name, version);
    if (!found) throw new NotFoundException(`model ${name} has no version ${version}`);
    return found;
  }
}
