import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute, RequirePermission } from '@mlops/auth';
import { InferenceDataPlane, ReadinessDetail } from '../inference/inference-data-plane';

/** OIP's server routes: metadata, liveness, readiness (with the served models and failed loads). */
@ApiTags('open inference protocol v2')
@Controller('v2')
export class OipServerController {
  constructor(private readonly dataPlane: InferenceDataPlane) {}

  @Get()
  @RequirePermission('inference:call')
  @ApiOkResponse({ description: 'Server metadata: name, version, extensions' })
  metadata(): { name: string; version: string; extensions: string[] } {
    return this.dataPlane.serverMetadata();
  }

  @Get('health/live')
  @PublicRoute()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The server answers' })
  live(): { live: boolean } {
    return { live: this.dataPlane.serverLive() };
  }

  @Get('health/ready')
  @PublicRoute()
  @ApiOkResponse({ description: 'Ready; the body lists served models and any deployment that failed to load' })
  @ApiServiceUnavailableResponse({ description: 'Not ready yet' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): ReadinessDetail {
    const detail = this.dataPlane.serverReady();
    void reply.status(detail.ready ? 200 : 503);
    return detail;
  }
}
