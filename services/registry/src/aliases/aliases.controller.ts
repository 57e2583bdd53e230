import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { VersionNumber } from '@mlops/contracts';
import { parseInput } from '@mlops/service-kit';
import { modelNameParam } from '../http/model-name.pipe';
import { ModelVersionRepository } from '../model-versions/model-version.repository';
import { AliasRepository, ModelAlias } from './alias.repository';

const AliasName = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be a lowercase name: a-z first, then a-z, 0-9, "_", "-"');
const SetAlias = z.object({ version: VersionNumber });

@ApiTags('aliases')
@Controller('models/:name/aliases')
export class AliasesController {
  constructor(
    private readonly aliases: AliasRepository,
    private readonly versions: ModelVersionRepository,
  ) {}

  @Get()
  @RequirePermission('models:read')
  @ApiOkResponse({ description: 'Every alias of the model and the version it points at' })
  async list(@Param('name', modelNameParam) name: string): Promise<{ items: ModelAlias[] }> {
    return { items: await this.aliases.list(name) };
  }

  @Put(':alias')
  @RequirePermission('models:write')
  @ApiBody({ schema: { example: { version: 3 } } })
  @ApiOkResponse({ description: 'The alias now points at the version (champion, challenger or any custom name)' })
  @ApiNotFoundResponse({ description: 'No such model version' })
  async set(@Param('name', modelNameParam) name: string, @Param('alias') alias: string, @Body() body: unknown): Promise<ModelAlias> {
    const aliasName = parseInput(AliasName, alias, 'path.alias');
    const { version } = parseInput(SetAlias, body);
    if (!(await this.versions.find(name, version))) throw new NotFoundException(`model ${name} has no version ${version}`);
    return this.aliases.set(name, aliasName, version);
  }

  @Delete(':alias')
  @RequirePermission('models:write')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The alias is gone' })
  @ApiNotFoundResponse({ description: 'The model has no such alias' })
  async remove(@Param('name', modelNameParam) name: string, @Param('alias') alias: string): Promise<void> {
    if (!(await this.aliases.remove(name, alias))) throw new NotFoundException(`model ${name} has no alias ${alias}`);
  }
}
