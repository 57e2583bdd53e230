import { Controller, Header, NotFoundException } from '@nestjs/common';
import { type RouteParams, trainerRoutes as api } from '@mlops/contracts';
import { ContractParams, ContractRoute } from '@mlops/service-kit';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { RunLogStore } from './run-log.store';

@Controller()
export class RunLogController {
  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly logs: RunLogStore,
  ) {}

  @ContractRoute(api.runLog)
  @Header('content-type', 'text/plain; charset=utf-8')
  async get(@ContractParams(api.runLog) { id }: RouteParams<typeof api.runLog>): Promise<string> {
    const log = await this.runs.findLog(id);
    if (log === undefined) throw new NotFoundException(`no run ${id}`);
    if (log === null) throw new NotFoundException(`run ${id} has no log`);
    return this.logs.read(log);
  }
}
