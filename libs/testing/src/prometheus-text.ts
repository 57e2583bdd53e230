/**
 * The sum of a metric's samples in Prometheus text exposition, over the series whose labels contain every
 * `label="value"` pair given; 0 when there is none (a counter a fresh process has not touched yet).
 */
export function metricSum(exposition: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = match[2] ?? '';
    if (wanted.every((pair) => series.includes(pair))) sum += Number(match[3]);
  }
  return sum;
}
