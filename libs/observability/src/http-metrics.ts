import { ServiceName } from '@mlops/contracts';
import { Counter, Histogram, Registry } from 'prom-client';
import { metricName } from './metric-name';

const LABELS = ['method', 'route', 'status'] as const;

// Requests no route matched share one label: labelling them by URL would let any scanner blow up cardinality.
export const UNMATCHED_ROUTE = 'unmatched';

/** Request count and latency per route pattern; registered on the service's registry. */
export class HttpMetrics {
  private readonly requests: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;

  constructor(service: ServiceName, registry: Registry) {
    this.requests = new Counter({
      name: metricName(service, 'http_requests_total'),
      help: 'HTTP requests served, by method, route pattern and status code.',
      labelNames: LABELS,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: metricName(service, 'http_request_duration_seconds'),
      help: 'Time from receiving an HTTP request to finishing its response, by method, route pattern and status code.',
      labelNames: LABELS,
      registers: [registry],
    });
  }

  record(labels: { method: string; route: string; status: number }, seconds: number): void {
    const values = { method: labels.method, route: labels.route, status: String(labels.status) };
    this.requests.inc(values);
    this.duration.observe(values, seconds);
  }
}
