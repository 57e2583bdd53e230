import { Controller, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AuditVerification, governanceRoutes as api, type RouteQuery, type RouteResponse } from '@mlops/contracts';
import { ContractQuery, ContractRoute } from '@mlops/service-kit';
import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { ExportAuditTrail } from '../export-audit-trail/export-audit-trail.use-case';
import { HourlyCountsRepository } from '../high-volume-counts/hourly-counts.repository';
import { VerifyAuditTrail } from '../verify-audit-trail/verify-audit-trail.use-case';

@Controller()
export class AuditLogController {
  constructor(
    private readonly auditLog: AuditLogRepository,
    private readonly verifyAuditTrail: VerifyAuditTrail,
    private readonly exportAuditTrail: ExportAuditTrail,
    private readonly hourlyCounts: HourlyCountsRepository,
  ) {}

  @ContractRoute(api.listAuditEntries)
  async list(
    @ContractQuery(api.listAuditEntries) { subject, type, after, limit }: RouteQuery<typeof api.listAuditEntries>,
  ): Promise<RouteResponse<typeof api.listAuditEntries>> {
    return { items: await this.auditLog.query({ subject, eventType: type, afterSeq: after, limit }) };
  }

  @ContractRoute(api.verifyAuditTrail)
  verify(): Promise<AuditVerification> {
    return this.verifyAuditTrail.execute();
  }

  @ContractRoute(api.exportAuditTrail)
  async export(@ContractQuery(api.exportAuditTrail) { after }: RouteQuery<typeof api.exportAuditTrail>, @Res() res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
    await pipeline(Readable.from(this.exportAuditTrail.lines(after)), res);
  }

  @ContractRoute(api.auditCounts)
  async counts(@ContractQuery(api.auditCounts) { model, from, to }: RouteQuery<typeof api.auditCounts>): Promise<RouteResponse<typeof api.auditCounts>> {
    const items = await this.hourlyCounts.counts({
      modelName: model,
      from: from === undefined ? undefined : new Date(from),
      to: to === undefined ? undefined : new Date(to),
    });
    return { items };
  }
}
