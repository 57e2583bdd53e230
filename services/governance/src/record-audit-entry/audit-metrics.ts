import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { metricName } from '@mlops/observability';

/** Links added to the audit chain by event type: approvals, deployments and verdicts as the governance dashboard shows them. */
@Injectable()
export class AuditMetrics {
  private readonly appended: Counter<'topic'>;

  constructor(registry: Registry) {
    this.appended = new Counter({
      name: metricName('governance', 'audit_entries_total'),
      help: 'Events chained into the audit log, by topic (redeliveries of a chained event are not counted)',
      labelNames: ['topic'],
      registers: [registry],
    });
  }

  /** Each chained topic's series at 0 from the start, so the first entry is an increase Prometheus sees. */
  chains(topic: string): void {
    this.appended.inc({ topic }, 0);
  }

  appendedTo(topic: string): void {
    this.appended.inc({ topic });
  }
}
