import { leastSquaresSlope } from './least-squares-slope';

describe('leastSquaresSlope', () => {
  it('is the slope of the best line through the points', () => {
    expect(leastSquaresSlope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
    expect(leastSquaresSlope([[0, 10], [1, 12], [2, 10], [3, 12]])).toBeCloseTo(0.4);
  });

  it('is NaN when a sample is missing or there is no spread in x', () => {
    expect(leastSquaresSlope([[0, 1], [1, NaN], [2, 3]])).toBeNaN();
    expect(leastSquaresSlope([[1, 1], [1, 2]])).toBeNaN();
    expect(leastSquaresSlope([[0, 1]])).toBeNaN();
  });
});
