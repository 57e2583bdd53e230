import { newPageHinkley, observePageHinkley } from './page-hinkley';
import { newSequentialTest, observeSequentialTest, proportionDifference } from './sequential-test';
import { seededUniform } from '../test-support/prediction-generator';

describe('Page-Hinkley on the prediction mean', () => {
  const options = { delta: 0.01, threshold: 20, minObservations: 100 };

  it('stays quiet on a stable stream and raises one alarm soon after the mean shifts', () => {
    const random = seededUniform(7);
    const state = newPageHinkley();
    const alarms: [number, string | undefined][] = [];
    for (let i = 0; i < 20_000; i++) {
      const alarm = observePageHinkley(state, random() * 0.5 + (i >= 10_000 ? 0.1 : 0), options);
      if (alarm) alarms.push([i, alarm.direction]);
    }
    expect(alarms).toHaveLength(1);
    expect(alarms[0][1]).toBe('increase');
    expect(alarms[0][0]).toBeGreaterThanOrEqual(10_000);
    expect(alarms[0][0]).toBeLessThan(10_500);
  });

  it('sees a decrease as well', () => {
    const random = seededUniform(9);
    const state = newPageHinkley();
    let alarm = null;
    for (let i = 0; i < 3000 && !alarm; i++) alarm = observePageHinkley(state, random() + (i >= 1000 ? -0.3 : 0), options);
    expect(alarm?.direction).toBe('decrease');
    expect(alarm?.statistic).toBeGreaterThan(options.threshold);
  });
});

describe('mixture SPRT', () => {
  it('keeps its p-value high while two arms are equal, however often it is looked at', () => {
    const random = seededUniform(3);
    let rejections = 0;
    for (let trial = 0; trial < 50; trial++) {
      const state = newSequentialTest();
      let a = 0;
      let b = 0;
      for (let n = 1; n <= 4000; n++) {
        a += random() < 0.8 ? 1 : 0;
        b += random() < 0.8 ? 1 : 0;
        if (n % 100 === 0) observeSequentialTest(state, proportionDifference(a, n, b, n));
      }
      if (state.pValue < 0.05) rejections++;
    }
    // At most 5% in expectation; 50 trials leave room for sampling noise but not for a test that peeks unsafely.
    expect(rejections).toBeLessThanOrEqual(6);
  });

  it('finds a real difference and never lets the p-value rise again', () => {
    const random = seededUniform(5);
    const state = newSequentialTest();
    let a = 0;
    let b = 0;
    let previous = 1;
    for (let n = 1; n <= 5000; n++) {
      a += random() < 0.8 ? 1 : 0;
      b += random() < 0.86 ? 1 : 0;
      if (n % 100 === 0) {
        const p = observeSequentialTest(state, proportionDifference(a, n, b, n));
        expect(p).toBeLessThanOrEqual(previous);
        previous = p;
      }
    }
    expect(state.pValue).toBeLessThan(0.05);
  });
});
