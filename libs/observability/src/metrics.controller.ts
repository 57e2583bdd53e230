import { Controller, Get, Inject, Res } from '@nestjs/common';
import { PublicRoute } from '@mlops/auth';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ServerResponse } from 'node:http';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability-options';

@ApiTags('health')
@PublicRoute()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions) {}

  /** Written straight to the response: Express would rewrite the registry's exact content type (exposition version). */
  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Every metric of the service in the Prometheus text format.' })
  async metrics(@Res() res: ServerResponse): Promise<void> {
    const text = await this.options.registry.metrics();
    res.statusCode = 200;
    res.setHeader('Content-Type', this.options.registry.contentType);
    res.end(text);
  }
}
