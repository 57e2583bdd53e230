import { BadRequestException, Controller } from '@nestjs/common';
import { featureStoreRoutes as api, type DatasetSnapshot, type RouteBody } from '@mlops/contracts';
import { ContractBody, ContractRoute } from '@mlops/service-kit';
import { IntegrityError } from '@mlops/storage';
import { BuildDataset } from './build-dataset.use-case';
import { InvalidLabelSetError } from './label-set';

@Controller()
export class DatasetsController {
  constructor(private readonly build: BuildDataset) {}

  @ContractRoute(api.buildDataset)
  async create(@ContractBody(api.buildDataset) request: RouteBody<typeof api.buildDataset>): Promise<DatasetSnapshot> {
    try {
      return await this.build.execute(request);
    } catch (err) {
      if (err instanceof InvalidLabelSetError) throw new BadRequestException(err.message);
      if (err instanceof IntegrityError) throw new BadRequestException(`entitySource: ${err.message}`);
      if ((err as { code?: string }).code === 'NoSuchKey') throw new BadRequestException('entitySource.uri: no such object');
      throw err;
    }
  }
}
