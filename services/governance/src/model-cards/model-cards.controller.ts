import { Controller, NotFoundException, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { type CardCompleteness, governanceRoutes as api, type ModelCardResponse, type RouteBody, type RouteParams } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { CardFormat, CardStore } from './card-store';
import { CheckModelCardCompleteness } from './check-model-card-completeness.use-case';
import { EditModelCard } from './edit-model-card.use-case';
import { PublishModelCard } from './publish-model-card.use-case';

type VersionPath = RouteParams<typeof api.modelCard>;

const notRegistered = ({ name, version }: VersionPath) => new NotFoundException(`governance has no registration of ${name} version ${version}`);

@Controller()
export class ModelCardsController {
  constructor(
    private readonly publishModelCard: PublishModelCard,
    private readonly editModelCard: EditModelCard,
    private readonly checkCompleteness: CheckModelCardCompleteness,
    private readonly store: CardStore,
  ) {}

  @ContractRoute(api.modelCard)
  async card(@ContractParams(api.modelCard) path: VersionPath): Promise<ModelCardResponse> {
    const published = await this.publishModelCard.publish(path.name, path.version);
    if (!published) throw notRegistered(path);
    return published;
  }

  @ContractRoute(api.editModelCard)
  async edit(
    @ContractParams(api.editModelCard) path: VersionPath,
    @ContractBody(api.editModelCard) patch: RouteBody<typeof api.editModelCard>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ModelCardResponse> {
    const edited = await this.editModelCard.execute(path.name, path.version, patch, principal.name);
    if (!edited) throw notRegistered(path);
    return edited;
  }

  @ContractRoute(api.modelCardCompleteness)
  async completeness(@ContractParams(api.modelCardCompleteness) path: VersionPath): Promise<CardCompleteness> {
    const completeness = await this.checkCompleteness.execute(path.name, path.version);
    if (!completeness) throw notRegistered(path);
    return completeness;
  }

  @ContractRoute(api.modelCardMarkdown)
  markdown(@ContractParams(api.modelCardMarkdown) path: VersionPath, @Res() res: ServerResponse): Promise<void> {
    return this.sendRendered(path, 'md', res);
  }

  @ContractRoute(api.modelCardHtml)
  html(@ContractParams(api.modelCardHtml) path: VersionPath, @Res() res: ServerResponse): Promise<void> {
    return this.sendRendered(path, 'html', res);
  }

  private async sendRendered(path: VersionPath, format: CardFormat, res: ServerResponse): Promise<void> {
    const body = await this.publishModelCard.openRendered(path.name, path.version, format);
    if (!body) throw notRegistered(path);
    res.writeHead(200, { 'content-type': this.store.contentType(format) });
    await pipeline(body, res);
  }
}
