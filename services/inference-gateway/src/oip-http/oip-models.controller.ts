import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequirePermission } from '@mlops/auth';
import { InferenceDataPlane, ModelMetadata } from '../inference/inference-data-plane';
import { notFound } from '../inference/inference-error';
import { HttpInferCall, HttpInferHandler, MAX_BODY_BYTES } from './http-infer-handler';
import { OipErrorFilter } from './inference-error.filter';
import { readBody, sendAnswer } from './send';

/** `body` is set when Express's JSON parser has already read it. */
type InferHttpRequest = IncomingMessage & { body?: unknown };

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

@ApiTags('open inference protocol v2')
@Controller('v2/models/:model')
@UseFilters(OipErrorFilter)
export class OipModelsController {
  constructor(
    private readonly dataPlane: InferenceDataPlane,
    private readonly handler: HttpInferHandler,
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
  infer(@Param('model') model: string, @Req() req: InferHttpRequest, @Res() res: ServerResponse): Promise<void> {
    return this.answer(model, undefined, req, res);
  }

  @Post('versions/:version/infer')
  @RequirePermission('inference:call')
  @HttpCode(200)
  @ApiBody(INFER_BODY)
  @ApiOkResponse({ description: 'Outputs of that version' })
  @ApiBadRequestResponse({ description: 'A tensor does not fit the model signature; the message names it' })
  @ApiNotFoundResponse({ description: 'Unknown model or version' })
  inferVersion(@Param('model') model: string, @Param('version') version: string, @Req() req: InferHttpRequest, @Res() res: ServerResponse): Promise<void> {
    return this.answer(model, version, req, res);
  }

  private async answer(model: string, version: string | undefined, req: InferHttpRequest, res: ServerResponse): Promise<void> {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    // The binary extension, and tritonclient's JSON without a content type, arrive unparsed.
    const parsed = req.body !== undefined && !Buffer.isBuffer(req.body) && header('inference-header-content-length') === undefined;
    const body: HttpInferCall['body'] = parsed ? { parsed: req.body } : Buffer.isBuffer(req.body) ? req.body : await readBody(req, MAX_BODY_BYTES);
    sendAnswer(res, await this.handler.answer({ model, version, header, body }));
  }
}
