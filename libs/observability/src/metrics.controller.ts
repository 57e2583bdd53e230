import { Controller, Get, Inject, Res } from '@nestjs/common';
import { PublicRoute } from '@mlops/auth';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AnyHttpResponse, sendText } from './http-response';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability-options';

@ApiTags('health')
@PublicRoute()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions) {}

  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Every metric of the service in the Prometheus text format.' })
  async metrics(@Res() res: AnyHttpResponse): Promise<void> {
    sendText(res, 200, this.options.registry.contentType, await this.options.registry.metrics());
  }
}
