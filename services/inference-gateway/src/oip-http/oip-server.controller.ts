import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { inferenceGatewayRoutes as api, type RouteResponse } from '@mlops/contracts';
import { ContractRoute } from '@mlops/service-kit';
import { InferenceDataPlane } from '../inference/inference-data-plane';

/** OIP's server routes: metadata, liveness, readiness (with the served models and failed loads). */
@Controller()
export class OipServerController {
  constructor(private readonly dataPlane: InferenceDataPlane) {}

  @ContractRoute(api.serverMetadata)
  metadata(): RouteResponse<typeof api.serverMetadata> {
    return this.dataPlane.serverMetadata();
  }

  @ContractRoute(api.serverLive)
  live(): RouteResponse<typeof api.serverLive> {
    return { live: this.dataPlane.serverLive() };
  }

  @ContractRoute(api.serverReady)
  ready(@Res({ passthrough: true }) reply: FastifyReply): RouteResponse<typeof api.serverReady> {
    const detail = this.dataPlane.serverReady();
    void reply.status(detail.ready ? 200 : 503);
    return detail;
  }
}
