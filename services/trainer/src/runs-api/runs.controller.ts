import { Controller, NotFoundException } from '@nestjs/common';
import { type RouteParams, type RouteQuery, type RouteResponse, trainerRoutes as api } from '@mlops/contracts';
import { ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { compareRuns } from './compare-runs';

@Controller()
export class RunsController {
  constructor(private readonly runs: TrainingRunRepository) {}

  @ContractRoute(api.listRuns)
  async list(@ContractQuery(api.listRuns) { model, limit, offset }: RouteQuery<typeof api.listRuns>): Promise<RouteResponse<typeof api.listRuns>> {
    return { items: await this.runs.list({ ...(model ? { modelName: model } : {}), limit, offset }) };
  }

  // Declared before '/runs/{id}' so that "compare" is not taken for a run id.
  @ContractRoute(api.compareRuns)
  async compare(@ContractQuery(api.compareRuns) { ids }: RouteQuery<typeof api.compareRuns>): Promise<RouteResponse<typeof api.compareRuns>> {
    const found = await this.runs.findMany(ids);
    const byId = new Map(found.map((run) => [run.runId, run]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new NotFoundException(`no run ${missing.join(', ')}`);
    return compareRuns(ids.map((id) => byId.get(id)!));
  }

  @ContractRoute(api.getRun)
  async get(@ContractParams(api.getRun) { id }: RouteParams<typeof api.getRun>): Promise<RouteResponse<typeof api.getRun>> {
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundException(`no run ${id}`);
    return run;
  }
}
