import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { metricName } from '@mlops/observability';

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
  }

  registeredFrom(source: 'training' | 'upload'): void {
    this.registered.inc({ source });
  }
}
