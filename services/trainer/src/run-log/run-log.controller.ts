import { BadRequestException, Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { RunLogStore } from './run-log.store';

const RunId = z.uuid();

@ApiTags('runs')
@Controller('runs')
export class RunLogController {
  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly logs: RunLogStore,
  ) {}

  @Get(':id/log')
  @RequirePermission('training:read')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiParam({ name: 'id', description: 'run id (uuid)' })
  @ApiOkResponse({ description: "The run's log as text (a custom trainer's stdout and stderr, its tail when it was long)", schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'The id is not a uuid' })
  @ApiNotFoundResponse({ description: 'No such run, or the run has no log' })
  async get(@Param('id') id: string): Promise<string> {
    if (!RunId.safeParse(id).success) throw new BadRequestException(`id: must be a uuid, got ${JSON.stringify(id)}`);
    const log = await this.runs.findLog(id);
    if (log === undefined) throw new NotFoundException(`no run ${id}`);
    if (log === null) throw new NotFoundException(`run ${id} has no log`);
    return this.logs.read(log);
  }
}
