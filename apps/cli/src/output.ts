/** Human tables by default; `--json` prints the raw result for scripts. */
export interface Output {
  json: boolean;
}

export type Column<T> = { header: string; value: (row: T) => string | number | null | undefined };

export function printResult<T>(output: Output, result: T, human: (result: T) => string): void {
  process.stdout.write(output.json ? `${JSON.stringify(result, null, 2)}\n` : `${human(result)}\n`);
}

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((c) => String(c.value(row) ?? '')));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n');
}
