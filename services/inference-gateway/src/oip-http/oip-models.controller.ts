import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { RequirePermission } from '@mlops/auth';
import { InferenceDataPlane, ModelMetadata } from '../inference/inference-data-plane';
import { notFound } from '../inference/inference-error';
import { HEADER_LENGTH, OipHttpBody } from './oip-http-body';
import { parseHttpInferRequest } from './oip-http-request';
import { encodeHttpInferResponse } from './oip-http-response';

const JSON_TYPE = 'application/json; charset=utf-8';

const INFER_BODY = {
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      parameters: {
        type: 'object',
        description: 'features by entity key: entities (join key -> key values, one per row), features (ordered view:feature refs), input (optional)',
        properties: {
          entities: { type: 'object', additionalProperties: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } } },
          features: { type: 'array', items: { type: 'string' } },
          input: { type: 'string' },
        },
      },
      inputs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'shape', 'datatype'],
          properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, data: { type: 'array', items: {} } },
        },
      },
      outputs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
    },
  },
};

/** OIP's model routes: metadata, readiness, and inference (JSON, or the binary tensor extension both ways). */
@ApiTags('open inference protocol v2')
@Controller('v2/models/:model')
export class OipModelsController {
  constructor(
    private readonly dataPlane: InferenceDataPlane,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @RequirePermission('inference:call')
  @ApiOkResponse({ description: 'Model metadata of the champion: versions served, input and output tensors' })
  @ApiNotFoundResponse({ description: 'The model is not deployed here' })
  metadata(@Param('model') model: string): ModelMetadata {
    return this.dataPlane.modelMetadata(model);
  }

  @Get('versions/:version')
  @RequirePermission('inference:call')
  @ApiOkResponse({ description: 'Metadata of one served version' })
  @ApiNotFoundResponse({ description: 'The model or version is not deployed here' })
  versionMetadata(@Param('model') model: string, @Param('version') version: string): ModelMetadata {
    return this.dataPlane.modelMetadata(model, version);
  }

  @Get('ready')
  @RequirePermission('inference:call')
  @ApiOkResponse({ description: 'The model is loaded and serving' })
  @ApiNotFoundResponse({ description: 'The model is not ready here' })
  ready(@Param('model') model: string): { name: string; ready: boolean } {
    if (!this.dataPlane.modelReady(model)) throw notFound(`model ${model} is not ready`);
    return { name: model, ready: true };
  }

  @Get('versions/:version/ready')
  @RequirePermission('inference:call')
  @ApiOkResponse({ description: 'The version is loaded and serving' })
  @ApiNotFoundResponse({ description: 'The version is not ready here' })
  versionReady(@Param('model') model: string, @Param('version') version: string): { name: string; version: string; ready: boolean } {
    if (!this.dataPlane.modelReady(model, version)) throw notFound(`model ${model} version ${version} is not ready`);
    return { name: model, version, ready: true };
  }

  @Post('infer')
  @RequirePermission('inference:call')
  @HttpCode(200)
  @ApiBody(INFER_BODY)
  @ApiOkResponse({ description: 'Outputs, with the id and the version that answered (model_version)' })
  @ApiBadRequestResponse({ description: 'A tensor does not fit the model signature; the message names it' })
  @ApiNotFoundResponse({ description: 'Unknown model or version' })
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than MLOPS_GATEWAY_MAX_REQUEST_BYTES' })
  infer(@Param('model') model: string, @Body() body: OipHttpBody | undefined, @Headers() headers: IncomingHttpHeaders, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | Buffer> {
    return this.answer(model, undefined, body, headers, reply);
  }

  @Post('versions/:version/infer')
  @RequirePermission('inference:call')
  @HttpCode(200)
  @ApiBody(INFER_BODY)
  @ApiOkResponse({ description: 'Outputs of that version' })
  @ApiBadRequestResponse({ description: 'A tensor does not fit the model signature; the message names it' })
  @ApiNotFoundResponse({ description: 'Unknown model or version' })
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than MLOPS_GATEWAY_MAX_REQUEST_BYTES' })
  inferVersion(
    @Param('model') model: string,
    @Param('version') version: string,
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
