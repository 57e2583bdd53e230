import { Controller, Param, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { type Principal, RequirePermission } from '@mlops/auth';
import { Metrics, Params } from '@mlops/contracts';
import { parseInput } from '@mlops/service-kit';
import { modelNameParam } from '../http/model-name.pipe';
import { Tags } from '../models/registered-model';
import type { ModelVersion } from '../model-versions/model-version';
import { UploadVersion } from './upload-version.use-case';

const jsonText = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const UploadQuery = z.object({
  metrics: jsonText(Metrics).default({}),
  params: jsonText(Params).default({}),
  tags: jsonText(Tags).default({}),
});

@ApiTags('versions')
@Controller('models/:name/versions')
export class UploadVersionController {
  constructor(private readonly uploadVersion: UploadVersion) {}

  @Post()
  @RequirePermission('models:write')
  @ApiConsumes('application/octet-stream')
  @ApiBody({ description: 'The ONNX model file, streamed as the raw request body', schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'metrics', required: false, description: 'JSON object of metric name to number' })
  @ApiQuery({ name: 'params', required: false, description: 'JSON object of training parameters' })
  @ApiQuery({ name: 'tags', required: false, description: 'JSON object of tag to value' })
  @ApiCreatedResponse({ description: 'The new version, READY, with the signature read from the file' })
  @ApiBadRequestResponse({ description: 'A query field is invalid' })
  @ApiNotFoundResponse({ description: 'No such model (create it first)' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than MLOPS_REGISTRY_MAX_ARTIFACT_BYTES' })
  @ApiUnprocessableEntityResponse({ description: 'Not a valid ONNX model; the message gives the parser\'s reason' })
  async upload(
    @Param('name', modelNameParam) name: string,
    @Query() query: Record<string, unknown>,
    @Req() request: IncomingMessage & { principal?: Principal },
  ): Promise<ModelVersion> {
    // Governance keeps whoever uploads a version from approving it.
    const details = { ...parseInput(UploadQuery, query, 'query'), registeredBy: request.principal?.name ?? null };
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('application/octet-stream')) {
      throw new UnsupportedMediaTypeException(`send the model file as the body with content-type application/octet-stream, got "${type}"`);
    }
    return this.uploadVersion.execute(name, request, details);
  }
}
