/**
 * The contingency table of two labelings of the same items: `table[i][j]` counts the items
 * with the i-th distinct true label and the j-th distinct predicted label.
 */
export interface Contingency {
  table: number[][];
  rowSums: number[];
  colSums: number[];
  total: number;
}

/** Builds the contingency table of `truth` against `predicted` (equal lengths). */
export function contingency(
  truth: readonly (string | number)[],
  predicted: readonly (string | number)[],
): Contingency {
  if (truth.length !== predicted.length) {
    throw new RangeError(`label lists differ in length: ${truth.length} vs ${predicted.length}`);
  }
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (const t of truth) if (!rows.has(t)) rows.set(t, rows.size);
  for (const p of predicted) if (!cols.has(p)) cols.set(p, cols.size);
  const table = Array.from({ length: rows.size }, () => new Array<number>(cols.size).fill(0));
  const rowSums = new Array<number>(rows.size).fill(0);
  const colSums = new Array<number>(cols.size).fill(0);
  for (let k = 0; k < truth.length; k++) {
    const i = rows.get(truth[k] as string | number) as number;
    const j = cols.get(predicted[k] as string | number) as number;
    const row = table[i] as number[];
    row[j] = (row[j] ?? 0) + 1;
    rowSums[i] = (rowSums[i] ?? 0) + 1;
    colSums[j] = (colSums[j] ?? 0) + 1;
  }
  return { table, rowSums, colSums, total: truth.length };
}
