import { BadRequestException, Controller, NotFoundException } from '@nestjs/common';
import { type RouteBody, type RouteParams, type RouteResponse, trainerRoutes as api } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { InvalidCronExpression } from './cron-schedule';
import { SetTrainingSchedule } from './set-training-schedule.use-case';
import { TrainingScheduleRepository } from './training-schedule.repository';

type Model = RouteParams<typeof api.getSchedule>;

@Controller()
export class SchedulesController {
  constructor(
    private readonly setSchedule: SetTrainingSchedule,
    private readonly schedules: TrainingScheduleRepository,
  ) {}

  @ContractRoute(api.setSchedule)
  async put(@ContractParams(api.setSchedule) { model }: Model, @ContractBody(api.setSchedule) body: RouteBody<typeof api.setSchedule>): Promise<RouteResponse<typeof api.setSchedule>> {
    try {
      return await this.setSchedule.execute(model, body);
    } catch (err) {
      if (err instanceof InvalidCronExpression) throw new BadRequestException(`body.cron: ${err.reason}`);
      throw err;
    }
  }

  @ContractRoute(api.listSchedules)
  async list(): Promise<RouteResponse<typeof api.listSchedules>> {
    return { items: await this.schedules.list() };
  }

  @ContractRoute(api.getSchedule)
  async get(@ContractParams(api.getSchedule) { model }: Model): Promise<RouteResponse<typeof api.getSchedule>> {
    const schedule = await this.schedules.find(model);
    if (!schedule) throw new NotFoundException(`model ${model} has no training schedule`);
    return schedule;
  }

  @ContractRoute(api.removeSchedule)
  async remove(@ContractParams(api.removeSchedule) { model }: Model): Promise<void> {
    if (!(await this.schedules.remove(model))) throw new NotFoundException(`model ${model} has no training schedule`);
  }
}
