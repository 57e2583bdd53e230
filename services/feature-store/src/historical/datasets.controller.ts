import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { RequirePermission } from '@mlops/auth';
import { IntegrityError } from '@mlops/storage';
import { describeIssues } from '../definitions/feature-definitions';
import { BuildDataset, DatasetSnapshot } from './build-dataset.use-case';
import { InvalidLabelSetError, LABEL_TYPES } from './label-set';

const DatasetRequestBody = z
  .strictObject({
    features: z.array(z.string()).min(1),
    entityRows: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
    entitySource: z
      .strictObject({
        uri: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}\/.+$/, 'must be s3://<bucket>/<key> of a CSV with a header row'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters: the label set is pinned by content'),
      })
      .optional(),
    labelFeature: z
      .strictObject({
        ref: z.string().min(1),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
      })
      .optional(),
    timestampField: z.string().min(1).default('event_timestamp'),
    labelField: z.string().min(1).default('label'),
    labelType: z.enum(LABEL_TYPES).default('float64'),
  })
  .refine((b) => [b.entityRows, b.entitySource, b.labelFeature].filter((source) => source !== undefined).length === 1, {
    message: 'give exactly one of entityRows (inline), entitySource (a CSV in object storage) or labelFeature (a feature\'s history as the labels)',
    path: ['entityRows'],
  });

@ApiTags('datasets')
@Controller('datasets')
export class DatasetsController {
  constructor(private readonly build: BuildDataset) {}

  @Post()
  @RequirePermission('training:write')
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(DatasetRequestBody, { io: 'input' }) as SchemaObject })
  @ApiCreatedResponse({ description: 'The snapshot: Parquet in mlops-datasets with its sha256, rows, schema, views and time range' })
  @ApiBadRequestResponse({ description: 'An unknown feature, a missing join key or a malformed label row, named' })
  async create(@Body() body: unknown): Promise<DatasetSnapshot> {
    const parsed = DatasetRequestBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error));
    try {
      return await this.build.execute(parsed.data);
    } catch (err) {
      if (err instanceof InvalidLabelSetError) throw new BadRequestException(err.message);
      if (err instanceof IntegrityError) throw new BadRequestException(`entitySource: ${err.message}`);
      if ((err as { code?: string }).code === 'NoSuchKey') throw new BadRequestException('entitySource.uri: no such object');
      throw err;
    }
  }
}
