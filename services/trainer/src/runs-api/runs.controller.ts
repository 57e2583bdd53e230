import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { TrainingRunRepository, TrainingRunView } from '../training-runs/training-run.repository';

const RunsQuery = z.strictObject({
  model: z.string().min(1).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be at least 0').default(0),
});

const RunId = z.uuid();

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: TrainingRunRepository,
  ) {}

  @Get()
  @ApiQuery({ name: 'model', required: false, description: 'only runs of this model' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ description: 'Runs, newest first, with params, metrics, dataset hash, code version and duration' })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it' })
  async list(@Query() query: Record<string, unknown>): Promise<{ items: Omit<TrainingRunView, 'lossCurve'>[] }> {
    const parsed = RunsQuery.safeParse(query);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((i) => `query.${i.path.join('.')}: ${i.message}`));
    const { model, limit, offset } = parsed.data;
    return { items: await this.runs.list(this.dataSource.manager, { ...(model ? { modelName: model } : {}), limit, offset }) };
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'run id (uuid)' })
  @ApiOkResponse({ description: 'One run: params, metrics, loss curve, dataset hash, code version, environment, duration, status' })
  @ApiBadRequestResponse({ description: 'The id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such run' })
  async get(@Param('id') id: string): Promise<TrainingRunView> {
    if (!RunId.safeParse(id).success) throw new BadRequestException(`id: must be a uuid, got ${JSON.stringify(id)}`);
    const run = await this.runs.find(this.dataSource.manager, id);
    if (!run) throw new NotFoundException(`no run ${id}`);
    return run;
  }
}
