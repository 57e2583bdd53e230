import { BadRequestException, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { IntegrityError } from '@mlops/storage';
import { describeIssues } from '../definitions/feature-definitions';
import { InvalidBackfillError } from './backfill-records';
import { BackfillResult, BackfillView } from './backfill-view.use-case';

const BackfillBody = z.strictObject({
  uri: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}\/.+$/, 'must be s3://<bucket>/<key>'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters: the file is pinned by content'),
  format: z.enum(['csv', 'parquet']),
});

@ApiTags('definitions')
@Controller('feature-views/:name/backfill')
export class BackfillController {
  constructor(private readonly backfill: BackfillView) {}

  @Post()
  @RequirePermission('features:write')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(BackfillBody) as SchemaObject })
  @ApiOkResponse({ description: 'Rows written to the online and offline stores, and the rows rejected with their reasons' })
  @ApiBadRequestResponse({ description: 'No such view, a changed or missing file, or an unreadable one' })
  async run(@Param('name') name: string, @Body() body: unknown): Promise<BackfillResult> {
    const parsed = BackfillBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error));
    try {
      return await this.backfill.execute(name, parsed.data);
    } catch (err) {
      if (err instanceof InvalidBackfillError) throw new BadRequestException(err.message);
      if (err instanceof IntegrityError) throw new BadRequestException(`sha256: ${err.message}`);
      if ((err as { code?: string }).code === 'NoSuchKey') throw new BadRequestException('uri: no such object');
      throw err;
    }
  }
}
