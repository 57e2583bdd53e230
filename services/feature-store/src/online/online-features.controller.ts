import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { describeIssues } from '../definitions/feature-definitions';
import { InvalidOnlineRequestError, OnlineFeatures, OnlineFeaturesResult } from './online-features';

const OnlineRequest = z.strictObject({
  entities: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).min(1).max(1000),
  features: z.array(z.string()).min(1).max(1000),
});

@ApiTags('online')
@Controller('online-features')
export class OnlineFeaturesController {
  constructor(private readonly online: OnlineFeatures) {}

  @Post()
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(OnlineRequest) as SchemaObject })
  @ApiOkResponse({ description: 'Per entity, each feature with its value and status PRESENT, NOT_FOUND or EXPIRED' })
  @ApiBadRequestResponse({ description: 'An unknown feature ref or a missing join key, named' })
  async read(@Body() body: unknown): Promise<OnlineFeaturesResult> {
    const parsed = OnlineRequest.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error));
    try {
      return await this.online.read(parsed.data.entities, parsed.data.features);
    } catch (err) {
      if (err instanceof InvalidOnlineRequestError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}
