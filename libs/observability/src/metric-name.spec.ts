import { metricName } from './metric-name';

describe('metricName', () => {
  it('prefixes the thing with mlops and the service in snake case', () => {
    expect(metricName('registry', 'http_requests_total')).toBe('mlops_registry_http_requests_total');
    expect(metricName('inference-gateway', 'predictions_total')).toBe('mlops_inference_gateway_predictions_total');
  });
});
