import { Body, Controller, Get, NotFoundException, Param, Patch, Res } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { CurrentPrincipal, Principal, RequirePermission } from '@mlops/auth';
import { CardCompleteness, ModelCardPatch, ModelCardResponse } from '@mlops/contracts';
import { modelNameParam, openApiSchema, parseInput, versionParam } from '../http/request-input';
import { CardFormat, CardStore } from './card-store';
import { CheckModelCardCompleteness } from './check-model-card-completeness.use-case';
import { EditModelCard } from './edit-model-card.use-case';
import { PublishModelCard } from './publish-model-card.use-case';

const notRegistered = (name: string, version: number) => new NotFoundException(`governance has no registration of ${name} version ${version}`);

@ApiTags('model cards')
@Controller('models/:name/versions/:version')
export class ModelCardsController {
  constructor(
    private readonly publishModelCard: PublishModelCard,
    private readonly editModelCard: EditModelCard,
    private readonly checkCompleteness: CheckModelCardCompleteness,
    private readonly store: CardStore,
  ) {}

  @Get('card')
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: "The card in the Model Card Toolkit's sections, what it still lacks, and where it is rendered", schema: openApiSchema(ModelCardResponse) })
  @ApiNotFoundResponse({ description: 'Governance has not seen the version registered' })
  async card(@Param('name', modelNameParam) name: string, @Param('version', versionParam) version: number): Promise<ModelCardResponse> {
    const published = await this.publishModelCard.publish(name, version);
    if (!published) throw notRegistered(name, version);
    return published;
  }

  @Patch('card')
  @RequirePermission('cards:write')
  @ApiBody({ description: 'Editable fields: a value replaces, null clears, absent keeps', schema: openApiSchema(ModelCardPatch, 'input') })
  @ApiOkResponse({ description: 'The edited card, re-rendered', schema: openApiSchema(ModelCardResponse) })
  @ApiNotFoundResponse({ description: 'Governance has not seen the version registered' })
  async edit(
    @Param('name', modelNameParam) name: string,
    @Param('version', versionParam) version: number,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ModelCardResponse> {
    const edited = await this.editModelCard.execute(name, version, parseInput(ModelCardPatch, body, 'body'), principal.name);
    if (!edited) throw notRegistered(name, version);
    return edited;
  }

  @Get('card/completeness')
  @RequirePermission('governance:read')
  @ApiOkResponse({ description: "Which of the fields the version's risk tier requires are still empty", schema: openApiSchema(CardCompleteness) })
  @ApiNotFoundResponse({ description: 'Governance has not seen the version registered' })
  async completeness(@Param('name', modelNameParam) name: string, @Param('version', versionParam) version: number): Promise<CardCompleteness> {
    const completeness = await this.checkCompleteness.execute(name, version);
    if (!completeness) throw notRegistered(name, version);
    return completeness;
  }

  @Get('card.md')
  @RequirePermission('governance:read')
  @ApiProduces('text/markdown')
  @ApiOkResponse({ description: 'The card rendered to Markdown, as stored in the reports bucket' })
  @ApiNotFoundResponse({ description: 'Governance has not seen the version registered' })
  markdown(@Param('name', modelNameParam) name: string, @Param('version', versionParam) version: number, @Res() res: ServerResponse): Promise<void> {
    return this.sendRendered(name, version, 'md', res);
  }

  @Get('card.html')
  @RequirePermission('governance:read')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The card rendered to HTML (all card text escaped), as stored in the reports bucket' })
  @ApiNotFoundResponse({ description: 'Governance has not seen the version registered' })
  html(@Param('name', modelNameParam) name: string, @Param('version', versionParam) version: number, @Res() res: ServerResponse): Promise<void> {
    return this.sendRendered(name, version, 'html', res);
  }

  private async sendRendered(name: string, version: number, format: CardFormat, res: ServerResponse): Promise<void> {
    const body = await this.publishModelCard.openRendered(name, version, format);
    if (!body) throw notRegistered(name, version);
    res.writeHead(200, { 'content-type': this.store.contentType(format) });
    await pipeline(body, res);
  }
}
