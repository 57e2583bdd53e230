import { Controller, NotFoundException } from '@nestjs/common';
import { governanceRoutes as api, type RouteParams, type RouteQuery, type ServedAtResponse } from '@mlops/contracts';
import { ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { FindWhatServed } from './find-what-served.use-case';

@Controller()
export class ServedAtController {
  constructor(private readonly findWhatServed: FindWhatServed) {}

  @ContractRoute(api.servedAt)
  async servedAt(
    @ContractParams(api.servedAt) { name }: RouteParams<typeof api.servedAt>,
    @ContractQuery(api.servedAt) query: RouteQuery<typeof api.servedAt>,
  ): Promise<ServedAtResponse> {
    const at = query.at === undefined ? new Date() : new Date(query.at);
    const answer = await this.findWhatServed.execute(name, at);
    if (!answer) throw new NotFoundException(`nothing served model ${name} at ${at.toISOString()}`);
    return answer;
  }
}
