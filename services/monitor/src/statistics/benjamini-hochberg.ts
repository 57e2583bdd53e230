/**
 * Benjamini-Hochberg adjusted p-values (scipy's `false_discovery_control(ps, method='bh')`): a hypothesis is
 * rejected at false-discovery rate q when its adjusted p-value is at most q.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1];
    running = Math.min(running, (pValues[index] * m) / rank);
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
