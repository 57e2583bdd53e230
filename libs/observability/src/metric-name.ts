import { ServiceName } from '@mlops/contracts';

/** Prometheus names allow no '-', and the service prefix keeps one service's metrics apart in shared dashboards. */
export function metricName(service: ServiceName, thing: string): string {
  return `mlops_${service.replaceAll('-', '_')}_${thing}`;
}
