import type { TestResult } from './kolmogorov-smirnov';
import { chiSquaredSf } from './special-functions';

export interface ContingencyResult extends TestResult {
  dof: number;
}

/**
 * Pearson's chi-squared test of independence on a table of counts, as scipy's `chi2_contingency(table)`: expected
 * counts from the margins, and Yates' continuity correction when there is one degree of freedom.
 */
export function chi2Contingency(table: readonly (readonly number[])[]): ContingencyResult {
  const rows = table.length;
  const cols = rows > 0 ? table[0].length : 0;
  if (rows < 2 || cols < 2) throw new RangeError('a contingency table needs at least 2 rows and 2 columns');
  const rowSums = table.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: cols }, (_, c) => table.reduce((s, row) => s + row[c], 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  if (rowSums.includes(0) || colSums.includes(0)) throw new RangeError('a contingency table may not have a row or column of zeros');
  const dof = (rows - 1) * (cols - 1);
  let statistic = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const expected = (rowSums[r] * colSums[c]) / total;
      let difference = table[r][c] - expected;
      if (dof === 1) difference = Math.sign(difference) * Math.max(0, Math.abs(difference) - 0.5);
      statistic += (difference * difference) / expected;
    }
  }
  return { statistic, pValue: chiSquaredSf(statistic, dof), dof };
}
