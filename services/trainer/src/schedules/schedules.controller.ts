import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { ModelName } from '@mlops/contracts';
import { InvalidCronExpression } from './cron-schedule';
import { SetTrainingSchedule } from './set-training-schedule.use-case';
import { ScheduledRequestTemplate, TrainingSchedule } from './training-schedule';
import { TrainingScheduleRepository } from './training-schedule.repository';

const ScheduleBody = z.strictObject({
  cron: z.string().min(1),
  enabled: z.boolean().default(true),
  request: ScheduledRequestTemplate,
});

@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(
    private readonly setSchedule: SetTrainingSchedule,
    private readonly schedules: TrainingScheduleRepository,
  ) {}

  @Put(':model')
  @RequirePermission('training:write')
  @ApiParam({ name: 'model', description: 'model name; one schedule per model' })
  @ApiBody({
    description:
      'cron: five fields in UTC (minute hour day-of-month month day-of-week) or @hourly/@daily/@weekly/@monthly; request: a training request without requestId, modelName and requestedBy',
    schema: { type: 'object', required: ['cron', 'request'], properties: { cron: { type: 'string', example: '0 3 * * *' }, enabled: { type: 'boolean' }, request: { type: 'object' } } },
  })
  @ApiOkResponse({ description: 'The schedule as stored, with its next firing time' })
  @ApiBadRequestResponse({ description: 'The cron expression or the request template is invalid; the message names the field' })
  async put(@Param('model') model: string, @Body() body: unknown): Promise<TrainingSchedule> {
    const modelName = parseModelName(model);
    const parsed = ScheduleBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((i) => `body.${i.path.join('.')}: ${i.message}`));
    try {
      return await this.setSchedule.execute(modelName, parsed.data);
    } catch (err) {
      if (err instanceof InvalidCronExpression) throw new BadRequestException(`body.cron: ${err.reason}`);
      throw err;
    }
  }

  @Get()
  @RequirePermission('training:read')
  @ApiOkResponse({ description: 'Every schedule with its next and last firing' })
  async list(): Promise<{ items: TrainingSchedule[] }> {
    return { items: await this.schedules.list() };
  }

  @Get(':model')
  @RequirePermission('training:read')
  @ApiParam({ name: 'model', description: 'model name' })
  @ApiOkResponse({ description: 'The model\'s schedule, its next firing and the last request it fired' })
  @ApiNotFoundResponse({ description: 'The model has no schedule' })
  async get(@Param('model') model: string): Promise<TrainingSchedule> {
    const schedule = await this.schedules.find(parseModelName(model));
    if (!schedule) throw new NotFoundException(`model ${model} has no training schedule`);
    return schedule;
  }

  @Delete(':model')
  @RequirePermission('training:write')
  @HttpCode(204)
  @ApiParam({ name: 'model', description: 'model name' })
  @ApiNoContentResponse({ description: 'The schedule is gone; requests it already fired are unaffected' })
  @ApiNotFoundResponse({ description: 'The model has no schedule' })
  async remove(@Param('model') model: string): Promise<void> {
    if (!(await this.schedules.remove(parseModelName(model)))) {
      throw new NotFoundException(`model ${model} has no training schedule`);
    }
  }
}

function parseModelName(model: string): string {
  const parsed = ModelName.safeParse(model);
  if (!parsed.success) throw new BadRequestException(`model: ${parsed.error.issues[0].message}`);
  return parsed.data;
}
