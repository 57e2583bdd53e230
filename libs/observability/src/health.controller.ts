import { Controller, Get, Inject, Res } from '@nestjs/common';
import { PublicRoute } from '@mlops/auth';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AnyHttpResponse, setStatus } from './http-response';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability-options';
import { checkReadiness, ReadinessReport } from './readiness';

/** Long enough for a healthy dependency under load, short enough to answer a Kubernetes probe in time. */
const PROBE_TIMEOUT_MS = 2000;

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up and serving HTTP.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Started, and every dependency answered.' })
  @ApiServiceUnavailableResponse({ description: 'Still starting or a dependency is down; each check says which.' })
  async ready(@Res({ passthrough: true }) res: AnyHttpResponse): Promise<ReadinessReport> {
    const report = await checkReadiness(this.options.probes, {
      timeoutMs: PROBE_TIMEOUT_MS,
      isStarted: this.options.isStarted,
    });
    setStatus(res, report.status === 'ready' ? 200 : 503);
    return report;
  }
}
