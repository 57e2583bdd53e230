import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@mlops/auth';
import type { DriftWindowResult, PerformanceWindowResult, RetrainingHistory, RolloutVerdictRecord } from '@mlops/contracts';
import { HistoryQuery, modelNameParam, parseInput } from '../http/parse-input';
import { MonitoringResultsRepository } from '../results/monitoring-results.repository';
import { RetrainingRepository } from '../retraining/retraining.repository';

@ApiTags('history')
@Controller('models/:name')
export class HistoryController {
  constructor(
    private readonly results: MonitoringResultsRepository,
    private readonly retraining: RetrainingRepository,
  ) {}

  @Get('drift')
  @RequirePermission('monitor:read')
  @ApiQuery({ name: 'version', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 50' })
  @ApiOkResponse({ description: 'Evaluated windows, newest first: per-feature tests, dataset verdicts, report URI' })
  async drift(@Param('name', modelNameParam) name: string, @Query() query: unknown): Promise<{ items: DriftWindowResult[] }> {
    return { items: await this.results.drift({ modelName: name, ...parseInput(HistoryQuery, query, 'query') }) };
  }

  @Get('performance')
  @RequirePermission('monitor:read')
  @ApiQuery({ name: 'version', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000, default 50' })
  @ApiOkResponse({ description: 'Per window, newest first: CBPE estimate with its band, realised metrics once labels are in, join rate, baseline' })
  async performance(@Param('name', modelNameParam) name: string, @Query() query: unknown): Promise<{ items: PerformanceWindowResult[] }> {
    return { items: await this.results.performance({ modelName: name, ...parseInput(HistoryQuery, query, 'query') }) };
  }

  @Get('rollouts')
  @RequirePermission('monitor:read')
  @ApiOkResponse({ description: 'Rollout verdicts with their evidence, newest first' })
  async rollouts(@Param('name', modelNameParam) name: string, @Query() query: unknown): Promise<{ items: RolloutVerdictRecord[] }> {
    return { items: await this.results.verdicts({ modelName: name, ...parseInput(HistoryQuery, query, 'query') }) };
  }

  @Get('retraining')
  @RequirePermission('monitor:read')
  @ApiOkResponse({
    description: 'Every retraining the monitor requested or held back, with the event that caused it and the rule that decided; the recipe a retraining would repeat and the requests still running',
  })
  async retrainingHistory(@Param('name', modelNameParam) name: string, @Query() query: unknown): Promise<RetrainingHistory> {
    return this.retraining.history(name, parseInput(HistoryQuery, query, 'query').limit);
  }
}
