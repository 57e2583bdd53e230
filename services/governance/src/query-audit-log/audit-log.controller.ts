import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@mlops/auth';
import type { AuditEntry } from '../audit-log/audit-entry';
import { AuditLogRepository } from '../audit-log/audit-log.repository';

function boundedInt(field: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestException(`${field} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

@ApiTags('audit')
@Controller('audit')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogRepository) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiQuery({ name: 'subject', required: false, description: 'Model name (or other event subject)' })
  @ApiQuery({ name: 'type', required: false, description: 'CloudEvents type, e.g. mlops.registry.version-registered.v1' })
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'Return entries after this sequence number' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ description: 'Audit entries in the order governance recorded them' })
  async list(
    @Query('subject') subject?: string,
    @Query('type') eventType?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<{ items: AuditEntry[] }> {
    const items = await this.auditLog.query({
      subject,
      eventType,
      afterSeq: boundedInt('after', after, 0, 0, Number.MAX_SAFE_INTEGER),
      limit: boundedInt('limit', limit, 100, 1, 1000),
    });
    return { items };
  }
}
