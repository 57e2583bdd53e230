import { applyDecorators, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@mlops/auth';
import { DeliveryMetricsQuery, DeliveryMetricsResponse } from '@mlops/contracts';
import { modelNameParam, openApiSchema, parseInput } from '../http/request-input';
import { ComputeDeliveryMetrics, DeliveryQuery } from './compute-delivery-metrics.use-case';

const DEFAULT_DAYS = 30;

function deliveryQuery(query: unknown): DeliveryQuery {
  const parsed = parseInput(DeliveryMetricsQuery, query, 'query');
  const to = parsed.to ? new Date(parsed.to) : new Date();
  const from = parsed.from ? new Date(parsed.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  return { from, to, failureWindowHours: parsed.failureWindowHours };
}

const DeliveryQueryDocs = () =>
  applyDecorators(
    ApiQuery({ name: 'from', required: false, description: `ISO time; default ${DEFAULT_DAYS} days before \`to\`` }),
    ApiQuery({ name: 'to', required: false, description: 'ISO time; default now' }),
    ApiQuery({ name: 'failureWindowHours', required: false, type: Number, description: 'A change degrading within this many hours has failed; default 24' }),
  );

@ApiTags('delivery metrics')
@Controller()
export class DeliveryMetricsController {
  constructor(private readonly computeDeliveryMetrics: ComputeDeliveryMetrics) {}

  @Get('delivery-metrics')
  @RequirePermission('governance:read')
  @DeliveryQueryDocs()
  @ApiOkResponse({ description: 'Deployment frequency, lead time, change failure rate and time to restore, platform-wide and per model', schema: openApiSchema(DeliveryMetricsResponse) })
  platform(@Query() query: unknown): Promise<DeliveryMetricsResponse> {
    return this.computeDeliveryMetrics.execute(deliveryQuery(query));
  }

  @Get('models/:name/delivery-metrics')
  @RequirePermission('governance:read')
  @DeliveryQueryDocs()
  @ApiOkResponse({ description: "One model's delivery metrics (platform = the model)", schema: openApiSchema(DeliveryMetricsResponse) })
  model(@Param('name', modelNameParam) name: string, @Query() query: unknown): Promise<DeliveryMetricsResponse> {
    return this.computeDeliveryMetrics.execute(deliveryQuery(query), name);
  }
}
