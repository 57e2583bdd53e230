import { Body, Controller, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { inferenceGatewayRoutes as api, type RouteParams, type RouteResponse } from '@mlops/contracts';
import { ContractParams, ContractRoute } from '@mlops/service-kit';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { InferenceDataPlane } from '../inference/inference-data-plane';
import { notFound } from '../inference/inference-error';
import { HEADER_LENGTH, OipHttpBody } from './oip-http-body';
import { parseHttpInferRequest } from './oip-http-request';
import { encodeHttpInferResponse } from './oip-http-response';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * OIP's model routes: metadata, readiness, and inference (JSON, or the binary tensor extension both ways). An infer
 * body is not run through the contract's schema: the content-type parser has split JSON from raw bytes, and
 * parseHttpInferRequest gives the schema's verdict at a fraction of its cost on the hot path.
 */
@Controller()
export class OipModelsController {
  constructor(
    private readonly dataPlane: InferenceDataPlane,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @ContractRoute(api.modelMetadata)
  metadata(@ContractParams(api.modelMetadata) { model }: RouteParams<typeof api.modelMetadata>): RouteResponse<typeof api.modelMetadata> {
    return this.dataPlane.modelMetadata(model);
  }

  @ContractRoute(api.versionMetadata)
  versionMetadata(@ContractParams(api.versionMetadata) { model, version }: RouteParams<typeof api.versionMetadata>): RouteResponse<typeof api.versionMetadata> {
    return this.dataPlane.modelMetadata(model, version);
  }

  @ContractRoute(api.modelReady)
  ready(@ContractParams(api.modelReady) { model }: RouteParams<typeof api.modelReady>): RouteResponse<typeof api.modelReady> {
    if (!this.dataPlane.modelReady(model)) throw notFound(`model ${model} is not ready`);
    return { name: model, ready: true };
  }

  @ContractRoute(api.versionReady)
  versionReady(@ContractParams(api.versionReady) { model, version }: RouteParams<typeof api.versionReady>): RouteResponse<typeof api.versionReady> {
    if (!this.dataPlane.modelReady(model, version)) throw notFound(`model ${model} version ${version} is not ready`);
    return { name: model, version, ready: true };
  }

  @ContractRoute(api.infer)
  infer(
    @ContractParams(api.infer) { model }: RouteParams<typeof api.infer>,
    @Body() body: OipHttpBody | undefined,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    return this.answer(model, undefined, body, headers, reply);
  }

  @ContractRoute(api.inferVersion)
  inferVersion(
    @ContractParams(api.inferVersion) { model, version }: RouteParams<typeof api.inferVersion>,
    @Body() body: OipHttpBody | undefined,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    return this.answer(model, version, body, headers, reply);
  }

  private async answer(modelName: string, version: string | undefined, body: OipHttpBody | undefined, headers: IncomingHttpHeaders, reply: FastifyReply): Promise<string | Buffer> {
    const parsed = parseHttpInferRequest(body?.json, body?.binary ?? null, this.config.maxRequestRows);
    const { parameters } = parsed;
    const routingKey = (name: string) => {
      const parameter = parameters[name];
      if (typeof parameter === 'string' || typeof parameter === 'number') return String(parameter);
      const header = headers[name.toLowerCase()];
      return Array.isArray(header) ? header[0] : header;
    };
    const { id, inputs, features, outputs } = parsed.request;
    const response = await this.dataPlane.infer({ protocol: 'http', modelName, version, id, inputs, features, outputs, routingKey });
    const encoded = encodeHttpInferResponse(response, (name) => parsed.binaryOutputs.has(name) || parsed.binaryByDefault);
    if (encoded.headerLength === null) void reply.header('content-type', JSON_TYPE);
    else void reply.header('content-type', 'application/octet-stream').header(HEADER_LENGTH, String(encoded.headerLength));
    return encoded.body;
  }
}
