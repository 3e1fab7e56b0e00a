import { contingency } from './contingency.ts';

const entropy = (counts: readonly number[], total: number): number =>
  counts.reduce((h, n) => (n > 0 ? h - (n / total) * Math.log(n / total) : h), 0);

/**
 * Normalized mutual information of two labelings, 0..1, with the arithmetic-mean
 * normalization I(U;V) / ((H(U) + H(V)) / 2), the default of scikit-learn's
 * `normalized_mutual_info_score`. Two single-cluster labelings score 1.
 */
export function nmi(truth: readonly (string | number)[], predicted: readonly (string | number)[]) {
  const { table, rowSums, colSums, total } = contingency(truth, predicted);
  if (total === 0) return 1;
  const hu = entropy(rowSums, total);
  const hv = entropy(colSums, total);
  if (hu === 0 && hv === 0) return 1;
  let mutual = 0;
  table.forEach((row, i) => {
    row.forEach((n, j) => {
      if (n === 0) return;
      const expected = ((rowSums[i] ?? 0) * (colSums[j] ?? 0)) / total;
      mutual += (n / total) * Math.log(n / expected);
    });
  });
  const denominator = (hu + hv) / 2;
  return denominator === 0 ? 0 : Math.max(0, Math.min(1, mutual / denominator));
}
