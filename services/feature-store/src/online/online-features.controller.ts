import { BadRequestException, Body, Controller, Headers, HttpCode, Post, UnsupportedMediaTypeException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { InvalidOnlineRequestError, OnlineFeatures, OnlineFeaturesResult } from './online-features';
import { OnlineRequest, parseOnlineRequest } from './online-request';

// What the JSON body parser reads: application/json, with or without parameters.
const JSON_CONTENT = /^application\/json\s*(?:;|$)/i;

/** POST /online-features: the REST adapter of the online read. */
@ApiTags('online')
@Controller('online-features')
export class OnlineFeaturesController {
  constructor(private readonly online: OnlineFeatures) {}

  @Post()
  @RequirePermission('features:read')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(OnlineRequest) as SchemaObject })
  @ApiOkResponse({ description: 'Per entity, each feature with its value and status PRESENT, NOT_FOUND or EXPIRED' })
  @ApiBadRequestResponse({ description: 'An invalid field, an unknown feature ref or a missing join key, named' })
  @ApiPayloadTooLargeResponse({ description: 'A body over 100 kB' })
  @ApiUnsupportedMediaTypeResponse({ description: 'A body that is not JSON' })
  async read(@Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<OnlineFeaturesResult> {
    // Without this a form or text body would reach validation as nothing at all and be refused for the wrong reason.
    if (!JSON_CONTENT.test(contentType ?? '')) {
      throw new UnsupportedMediaTypeException(`content-type: expected application/json, got ${contentType || 'none'}`);
    }
    const parsed = parseOnlineRequest(body);
    if (!parsed.ok) throw new BadRequestException(parsed.reasons);
    try {
      return await this.online.read(parsed.request.entities, parsed.request.features);
    } catch (err) {
      if (err instanceof InvalidOnlineRequestError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}
