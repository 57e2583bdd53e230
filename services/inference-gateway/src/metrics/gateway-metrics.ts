import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricName } from '@mlops/observability';

const SERVICE = 'inference-gateway';
export type Protocol = 'http' | 'grpc';

interface InferSeries {
  requests: { inc(): void };
  latency: { observe(seconds: number): void };
}

/** The gateway's own series; HTTP route metrics come from the platform middleware next to them. */
@Injectable()
export class GatewayMetrics {
  readonly inferRequests: Counter<'model' | 'version' | 'protocol' | 'status'>;
  readonly inferLatency: Histogram<'model' | 'version' | 'protocol' | 'status'>;
  readonly batchSize: Histogram<'model' | 'version'>;
  readonly modelLoads: Counter<'model' | 'outcome'>;
  readonly modelsLoaded: Gauge;
  readonly shadowFailures: Counter<'model'>;
  readonly logBufferDepth: Gauge;
  readonly logDropped: Counter<'reason'>;
  readonly logPublished: Counter;
  readonly logSpooled: Counter;
  readonly logSpoolBytes: Gauge;
  readonly logUnjournaled: Counter;
  private logBufferDepthOf: () => number = () => 0;
  /** Label children by series: prom-client hashes a labels object on every call, which shows on the request path. */
  private readonly inferSeries = new Map<string, InferSeries>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.inferRequests = new Counter({
      name: metricName(SERVICE, 'infer_requests_total'),
      help: 'Inference requests by model, answering version, protocol and status (ok, invalid_argument, not_found, unavailable, internal)',
      labelNames: ['model', 'version', 'protocol', 'status'],
      registers,
    });
    this.inferLatency = new Histogram({
      name: metricName(SERVICE, 'infer_duration_seconds'),
      help: 'Time to answer an inference request, from decoded request to encoded response',
      labelNames: ['model', 'version', 'protocol', 'status'],
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.batchSize = new Histogram({
      name: metricName(SERVICE, 'batch_size_rows'),
      help: 'Rows per onnxruntime run (one request, or several coalesced by the dynamic batcher)',
      labelNames: ['model', 'version'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
      registers,
    });
    this.modelLoads = new Counter({
      name: metricName(SERVICE, 'model_loads_total'),
      help: 'Model loads by outcome (loaded, failed); a failed load leaves the previous version serving',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.modelsLoaded = new Gauge({
      name: metricName(SERVICE, 'models_loaded'),
      help: 'Sessions currently open (champions, challengers and retired ones still finishing requests)',
      registers,
    });
    this.shadowFailures = new Counter({
      name: metricName(SERVICE, 'shadow_failures_total'),
      help: 'Shadow runs that failed; they never affect the response',
      labelNames: ['model'],
      registers,
    });
    const depth = () => this.logBufferDepthOf();
    this.logBufferDepth = new Gauge({
      name: metricName(SERVICE, 'prediction_log_buffer_depth'),
      help: 'Prediction log records waiting to be published',
      registers,
      collect() {
        this.set(depth());
      },
    });
    this.logDropped = new Counter({
      name: metricName(SERVICE, 'prediction_log_dropped_total'),
      help: 'Prediction log records dropped (buffer_full, publish_failed, spool_full, invalid_record)',
      labelNames: ['reason'],
      registers,
    });
    // At zero from the start: a drop alert's rate() needs the series before the first drop.
    for (const reason of ['buffer_full', 'publish_failed', 'spool_full', 'invalid_record']) this.logDropped.inc({ reason }, 0);
    this.logPublished = new Counter({
      name: metricName(SERVICE, 'prediction_log_published_total'),
      help: 'Prediction log records published to mlops.predictions.logged, replayed ones from the spool included',
      registers,
    });
    this.logSpooled = new Counter({
      name: metricName(SERVICE, 'prediction_log_spooled_total'),
      help: 'Prediction log records kept in the on-disk spool while the broker did not take them',
      registers,
    });
    this.logSpoolBytes = new Gauge({
      name: metricName(SERVICE, 'prediction_log_spool_bytes'),
      help: 'Bytes of prediction log records waiting in the on-disk spool for the broker',
      registers,
    });
    this.logUnjournaled = new Counter({
      name: metricName(SERVICE, 'prediction_log_unjournaled_total'),
      help: 'Prediction log records answered without reaching the on-disk journal (the write failed): still published, but lost if the gateway dies first',
      registers,
    });
  }

  /** One answered (or refused) inference request. */
  observeInfer(model: string, version: string, protocol: Protocol, status: string, seconds: number): void {
    const key = `${model}\0${version}\0${protocol}\0${status}`;
    let series = this.inferSeries.get(key);
    if (!series) {
      const labels = { model, version, protocol, status };
      series = { requests: this.inferRequests.labels(labels), latency: this.inferLatency.labels(labels) };
      this.inferSeries.set(key, series);
    }
    series.requests.inc();
    series.latency.observe(seconds);
  }

  /** The buffer depth is read when the metrics are scraped, not written on every record. */
  trackLogBufferDepth(depth: () => number): void {
    this.logBufferDepthOf = depth;
  }
}
