/** Least-squares slope of y over x; NaN with fewer than two distinct x or any missing y. */
export function leastSquaresSlope(points: [number, number][]): number {
  const usable = points.filter(([, y]) => Number.isFinite(y));
  if (usable.length < 2 || usable.length < points.length) return NaN;
  const meanX = usable.reduce((sum, [x]) => sum + x, 0) / usable.length;
  const meanY = usable.reduce((sum, [, y]) => sum + y, 0) / usable.length;
  const covariance = usable.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = usable.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? NaN : covariance / variance;
}
