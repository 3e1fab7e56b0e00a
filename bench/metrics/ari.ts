import { contingency } from './contingency.ts';

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index of two labelings (Hubert and Arabie 1985): 1 for identical
 * partitions, about 0 for chance agreement, negative below chance. Matches scikit-learn's
 * `adjusted_rand_score`, including 1 when both labelings are one cluster or all singletons.
 */
export function ari(truth: readonly (string | number)[], predicted: readonly (string | number)[]) {
  const { table, rowSums, colSums, total } = contingency(truth, predicted);
  let index = 0;
  for (const row of table) for (const n of row) index += pairs(n);
  const sumRows = rowSums.reduce((s, n) => s + pairs(n), 0);
  const sumCols = colSums.reduce((s, n) => s + pairs(n), 0);
  const all = pairs(total);
  if (all === 0) return 1;
  const expected = (sumRows * sumCols) / all;
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
