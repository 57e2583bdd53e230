import { metricSum } from './prometheus-text';

const exposition = [
  '# HELP mlops_x_total things',
  '# TYPE mlops_x_total counter',
  'mlops_x_total{topic="a",outcome="handled"} 3',
  'mlops_x_total{topic="b",outcome="handled"} 4',
  'mlops_x_total_other{topic="a"} 100',
  'mlops_y 2.5',
].join('\n');

describe('metricSum', () => {
  it('adds the series that carry every label asked for, and no metric merely sharing the prefix', () => {
    expect(metricSum(exposition, 'mlops_x_total')).toBe(7);
    expect(metricSum(exposition, 'mlops_x_total', { topic: 'a' })).toBe(3);
    expect(metricSum(exposition, 'mlops_y')).toBe(2.5);
  });

  it('is 0 for a metric not exposed yet', () => {
    expect(metricSum(exposition, 'mlops_z_total')).toBe(0);
  });
});
