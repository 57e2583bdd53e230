import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PublicRoute } from '@mlops/auth';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AnyHttpResponse, setStatus } from './http-response';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability-options';
import { checkReadiness, ReadinessReport, SERVING_CAPACITY, ServingCapacity } from './readiness';

/** Long enough for a healthy dependency under load, short enough to answer a Kubernetes probe in time. */
const PROBE_TIMEOUT_MS = 2000;

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  /** Looked up once, from any module of the app: undefined until then, null when the service provides none. */
  private capacity: ServingCapacity | null | undefined;

  constructor(
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process is up and serving HTTP.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Started, and every dependency answered, or the service does its work without those down (servingWithout names them).' })
  @ApiServiceUnavailableResponse({ description: 'Still starting or a dependency it needs is down; each check says which.' })
  async ready(@Res({ passthrough: true }) res: AnyHttpResponse): Promise<ReadinessReport> {
    const capacity = this.servingCapacity();
    const report = await checkReadiness(this.options.probes, {
      timeoutMs: PROBE_TIMEOUT_MS,
      isStarted: this.options.isStarted,
      servesWithoutDependencies: capacity ? () => capacity.servesWithoutDependencies() : undefined,
    });
    setStatus(res, report.status === 'ready' ? 200 : 503);
    return report;
  }

  private servingCapacity(): ServingCapacity | null {
    if (this.capacity === undefined) {
      try {
        this.capacity = this.moduleRef.get<ServingCapacity>(SERVING_CAPACITY, { strict: false });
      } catch {
        this.capacity = null;
      }
    }
    return this.capacity;
  }
}
