import { contingency } from './contingency.ts';

/**
 * Solves the assignment problem on a rectangular cost matrix (rows <= columns or not):
 * returns, for each row, the column assigned to it (or -1 when there are more rows than
 * columns and the row got none), minimizing the summed cost. The O(n^3) shortest
 * augmenting path form of the Hungarian method (Kuhn-Munkres, after Jonker-Volgenant).
 */
export function solveAssignment(cost: readonly (readonly number[])[]): number[] {
  const rows = cost.length;
  const cols = cost[0]?.length ?? 0;
  const n = Math.max(rows, cols);
  const at = (i: number, j: number): number => (i < rows && j < cols ? (cost[i]?.[j] ?? 0) : 0);
  // 1-based potentials u (rows), v (columns); p[j] = row matched to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = at(i0 - 1, j - 1) - (u[i0] as number) - (v[j] as number);
        if (reduced < (minv[j] as number)) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else minv[j] = (minv[j] as number) - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = (p[j] as number) - 1;
    if (i >= 0 && i < rows && j - 1 < cols) assignment[i] = j - 1;
  }
  return assignment;
}

/**
 * Clustering accuracy after the best one-to-one matching of clusters to classes (each
 * class to at most one cluster and back): the share of items whose cluster is matched
 * to their class. With more clusters than classes, the extra clusters count as wrong.
 */
export function hungarianAccuracy(
  truth: readonly (string | number)[],
  predicted: readonly (string | number)[],
): number {
  const { table, total } = contingency(truth, predicted);
  if (total === 0) return 1;
  const assignment = solveAssignment(table.map((row) => row.map((n) => -n)));
  let matched = 0;
  assignment.forEach((j, i) => {
    if (j >= 0) matched += table[i]?.[j] ?? 0;
  });
  return matched / total;
}
