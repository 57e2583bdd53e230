import { ServiceName } from '@mlops/contracts';
import { metricSum, PlatformStack, within } from '@mlops/testing';

/** How long a service took, from a fault's end (its restart, or the engine's), to answer ready and to apply records again. */
export interface Recovery {
  service: ServiceName;
  readySeconds: number | null;
  /** null: not measured (nothing flows to it in this fault) or not within the timeout (see `applyingTimedOut`). */
  applyingSeconds: number | null;
  applyingTimedOut: boolean;
}

const KEY_TOPIC = 'mlops.governance.api-key-changed';
const PROBE_TIMEOUT_MS = 1000;

export async function metricsOf(stack: PlatformStack, service: ServiceName): Promise<string | undefined> {
  try {
    return await within(PROBE_TIMEOUT_MS + 500, (async () => {
      const response = await fetch(`${stack.url(service)}/metrics`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return response.status === 200 ? await response.text() : undefined;
    })(), `${service} /metrics`);
  } catch {
    return undefined;
  }
}

export async function answersReady(stack: PlatformStack, service: ServiceName): Promise<boolean> {
  try {
    return await within(PROBE_TIMEOUT_MS + 500, (async () => {
      const response = await fetch(`${stack.url(service)}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.arrayBuffer();
      return response.status === 200;
    })(), `${service} /health/ready`);
  } catch {
    return false;
  }
}

/**
 * A count that grows only while the service does its work: records ingested or refused (feature store), prediction
 * logs and labels folded (monitor), prediction logs published (gateway), platform events consumed (the others; the
 * API key topic left out, as every fresh process reads it from the start).
 */
export function workDone(service: ServiceName, exposition: string): number {
  if (service === 'feature-store') return metricSum(exposition, 'mlops_feature_store_ingested_records_total') + metricSum(exposition, 'mlops_feature_store_rejected_records_total');
  if (service === 'monitor') return metricSum(exposition, 'mlops_monitor_stream_records_total');
  if (service === 'inference-gateway') return metricSum(exposition, 'mlops_inference_gateway_prediction_log_published_total');
  const consumed = `mlops_${service.replace(/-/g, '_')}_events_consumed_total`;
  return metricSum(exposition, consumed) - metricSum(exposition, consumed, { topic: KEY_TOPIC });
}

export async function workDoneNow(stack: PlatformStack, service: ServiceName): Promise<number | undefined> {
  const exposition = await metricsOf(stack, service);
  return exposition === undefined ? undefined : workDone(service, exposition);
}

/**
 * Polls the services until each answers ready and (where `baselines` names it) its work count passed the baseline;
 * times are seconds from `since`. Gives up on a service after `timeoutMs`, leaving its figure null.
 */
export async function measureRecovery(stack: PlatformStack, services: ServiceName[], baselines: Map<ServiceName, number>, since: number, timeoutMs: number): Promise<Recovery[]> {
  const results = new Map<ServiceName, Recovery>(services.map((service) => [service, { service, readySeconds: null, applyingSeconds: null, applyingTimedOut: false }]));
  const deadline = since + timeoutMs;
  const elapsed = () => Math.round((Date.now() - since) / 100) / 10;
  const pending = (r: Recovery) => r.readySeconds === null || (baselines.has(r.service) && r.applyingSeconds === null);
  while (Date.now() < deadline && [...results.values()].some(pending)) {
    await Promise.all([...results.values()].filter(pending).map(async (result) => {
      if (result.readySeconds === null && (await answersReady(stack, result.service))) result.readySeconds = elapsed();
      const baseline = baselines.get(result.service);
      if (baseline !== undefined && result.applyingSeconds === null && ((await workDoneNow(stack, result.service)) ?? -1) > baseline) result.applyingSeconds = elapsed();
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const result of results.values()) result.applyingTimedOut = baselines.has(result.service) && result.applyingSeconds === null;
  return [...results.values()];
}
