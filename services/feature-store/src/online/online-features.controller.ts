import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { InvalidOnlineRequestError, OnlineFeatures, OnlineFeaturesResult } from './online-features';
import { OnlineRequest, parseOnlineRequest } from './online-request';

/**
 * The OpenAPI contract of POST /online-features. On a node:http server OnlineFeaturesHttpFront answers the route
 * before Express sees it; this controller answers it wherever that front is not installed, with the same result.
 */
@ApiTags('online')
@Controller('online-features')
export class OnlineFeaturesController {
  constructor(private readonly online: OnlineFeatures) {}

  @Post()
  @RequirePermission('features:read')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(OnlineRequest) as SchemaObject })
  @ApiOkResponse({ description: 'Per entity, each feature with its value and status PRESENT, NOT_FOUND or EXPIRED' })
  @ApiBadRequestResponse({ description: 'An unknown feature ref or a missing join key, named' })
  async read(@Body() body: unknown): Promise<OnlineFeaturesResult> {
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
