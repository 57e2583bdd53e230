import { BadRequestException, Controller } from '@nestjs/common';
import { featureStoreRoutes as api, type BackfillResult, type RouteBody, type RouteParams } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { IntegrityError } from '@mlops/storage';
import { InvalidBackfillError } from './backfill-records';
import { BackfillView } from './backfill-view.use-case';

@Controller()
export class BackfillController {
  constructor(private readonly backfill: BackfillView) {}

  @ContractRoute(api.backfill)
  async run(
    @ContractParams(api.backfill) { name }: RouteParams<typeof api.backfill>,
    @ContractBody(api.backfill) request: RouteBody<typeof api.backfill>,
  ): Promise<BackfillResult> {
    try {
      return await this.backfill.execute(name, request);
    } catch (err) {
      if (err instanceof InvalidBackfillError) throw new BadRequestException(err.message);
      if (err instanceof IntegrityError) throw new BadRequestException(`sha256: ${err.message}`);
      if ((err as { code?: string }).code === 'NoSuchKey') throw new BadRequestException('uri: no such object');
      throw err;
    }
  }
}
