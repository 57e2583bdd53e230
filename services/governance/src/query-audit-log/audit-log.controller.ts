import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RequirePermission } from '@mlops/auth';
import {
  AuditCountsQuery,
  AuditCountsResponse,
  AuditExportQuery,
  AuditListQuery,
  AuditListResponse,
  AuditVerification,
  HourlyEventCount,
  AuditEntry,
} from '@mlops/contracts';
import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { ExportAuditTrail } from '../export-audit-trail/export-audit-trail.use-case';
import { HourlyCountsRepository } from '../high-volume-counts/hourly-counts.repository';
import { openApiSchema, parseInput } from '../http/request-input';
import { VerifyAuditTrail } from '../verify-audit-trail/verify-audit-trail.use-case';

@ApiTags('audit')
@Controller('audit')
export class AuditLogController {
  constructor(
    private readonly auditLog: AuditLogRepository,
    private readonly verifyAuditTrail: VerifyAuditTrail,
    private readonly exportAuditTrail: ExportAuditTrail,
    private readonly hourlyCounts: HourlyCountsRepository,
  ) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiQuery({ name: 'subject', required: false, description: 'Model name (or other event subject)' })
  @ApiQuery({ name: 'type', required: false, description: 'CloudEvents type, e.g. mlops.registry.version-registered.v1' })
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'Return entries after this sequence number' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1 to 1000, default 100' })
  @ApiOkResponse({ description: 'Audit entries in chain order, with their hashes', schema: openApiSchema(AuditListResponse) })
  async list(@Query() query: unknown): Promise<{ items: AuditEntry[] }> {
    const { subject, type, after, limit } = parseInput(AuditListQuery, query, 'query');
    return { items: await this.auditLog.query({ subject, eventType: type, afterSeq: after, limit }) };
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiOkResponse({ description: 'Every hash recomputed from the stored entries; the first broken link, if any', schema: openApiSchema(AuditVerification) })
  verify(): Promise<AuditVerification> {
    return this.verifyAuditTrail.execute();
  }

  @Get('export')
  @RequirePermission('audit:read')
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'Start after this sequence number' })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'The chain as JSON Lines: one canonical (RFC 8785) entry per line, in seq order', schema: openApiSchema(AuditEntry) })
  async export(@Query() query: unknown, @Res() res: ServerResponse): Promise<void> {
    const { after } = parseInput(AuditExportQuery, query, 'query');
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
    await pipeline(Readable.from(this.exportAuditTrail.lines(after)), res);
  }

  @Get('counts')
  @RequirePermission('audit:read')
  @ApiQuery({ name: 'model', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'ISO time, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO time, exclusive' })
  @ApiOkResponse({ description: 'Per-model hourly counts of predictions logged and labels observed', schema: openApiSchema(AuditCountsResponse) })
  async counts(@Query() query: unknown): Promise<{ items: HourlyEventCount[] }> {
    const { model, from, to } = parseInput(AuditCountsQuery, query, 'query');
    const items = await this.hourlyCounts.counts({
      modelName: model,
      from: from === undefined ? undefined : new Date(from),
      to: to === undefined ? undefined : new Date(to),
    });
    return { items };
  }
}
