import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { metricName } from '@mlops/observability';

const SOURCES = ['training', 'upload'] as const;

/** Versions the registry numbered, by where they came from: the training dashboard's "registered" beside "trained". */
@Injectable()
export class VersionMetrics {
  private readonly registered: Counter<'source'>;

  constructor(registry: Registry) {
    this.registered = new Counter({
      name: metricName('registry', 'versions_registered_total'),
      help: 'Model versions registered, by source (training: from mlops.training.completed; upload: POST of an ONNX file)',
      labelNames: ['source'],
      registers: [registry],
    });
    // At zero from the start, so the first version is an increase Prometheus sees.
    for (const source of SOURCES) this.registered.inc({ source }, 0);
  }

  registeredFrom(source: (typeof SOURCES)[number]): void {
    this.registered.inc({ source });
  }
}
