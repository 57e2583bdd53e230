import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { TrainingRunRepository, TrainingRunView } from '../training-runs/training-run.repository';
import { compareRuns, RunComparison } from './compare-runs';

const RunsQuery = z.strictObject({
  model: z.string().min(1).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be at least 0').default(0),
});

const RunId = z.uuid();

const CompareQuery = z.strictObject({
  ids: z
    .string({ error: 'is required: comma-separated run ids' })
    .transform((text) => text.split(',').map((id) => id.trim()).filter((id) => id.length > 0))
    .pipe(
      z
        .array(z.uuid({ error: 'every id must be a uuid' }))
        .min(2, 'needs at least 2 run ids')
        .max(20, 'takes at most 20 run ids')
        .refine((ids) => new Set(ids).size === ids.length, 'names a run twice'),
    ),
});

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(
    private readonly runs: TrainingRunRepository,
  ) {}

  @Get()
  @RequirePermission('training:read')
  @ApiQuery({ name: 'model', required: false, description: 'only runs of this model' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({ description: 'Runs, newest first, with params, metrics, dataset hash, code version and duration' })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it' })
  async list(@Query() query: Record<string, unknown>): Promise<{ items: Omit<TrainingRunView, 'lossCurve'>[] }> {
    const parsed = RunsQuery.safeParse(query);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((i) => `query.${i.path.join('.')}: ${i.message}`));
    const { model, limit, offset } = parsed.data;
    return { items: await this.runs.list({ ...(model ? { modelName: model } : {}), limit, offset }) };
  }

  // Declared before ':id' so that "compare" is not taken for a run id.
  @Get('compare')
  @RequirePermission('training:read')
  @ApiQuery({ name: 'ids', required: true, description: 'comma-separated run ids (2 to 20), e.g. ids=<uuid>,<uuid>' })
  @ApiOkResponse({ description: 'The runs\' params, metrics and champion metrics side by side, with deltas from the first run and against each run\'s champion' })
  @ApiBadRequestResponse({ description: 'ids is missing, has fewer than 2 or non-uuid ids; the message says which' })
  @ApiNotFoundResponse({ description: 'Some ids name no run; the message lists them' })
  async compare(@Query() query: Record<string, unknown>): Promise<RunComparison> {
    const parsed = CompareQuery.safeParse(query);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((i) => `query.${i.path.join('.') || 'ids'}: ${i.message}`));
    const { ids } = parsed.data;
    const found = await this.runs.findMany(ids);
    const byId = new Map(found.map((run) => [run.runId, run]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new NotFoundException(`no run ${missing.join(', ')}`);
    return compareRuns(ids.map((id) => byId.get(id)!));
  }

  @Get(':id')
  @RequirePermission('training:read')
  @ApiParam({ name: 'id', description: 'run id (uuid)' })
  @ApiOkResponse({ description: 'One run: params, metrics, loss curve, dataset hash, code version, environment, duration, status' })
  @ApiBadRequestResponse({ description: 'The id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such run' })
  async get(@Param('id') id: string): Promise<TrainingRunView> {
    if (!RunId.safeParse(id).success) throw new BadRequestException(`id: must be a uuid, got ${JSON.stringify(id)}`);
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundException(`no run ${id}`);
    return run;
  }
}
