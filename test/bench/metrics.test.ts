import { describe, expect, it } from 'vitest';
import { ari, hungarianAccuracy, nmi, solveAssignment } from '../../bench/metrics/index.ts';

describe('clustering metrics', () => {
  it('NMI is 1 for the same partition under other names and 0 for independent ones', () => {
    expect(nmi([0, 0, 1, 1], [1, 1, 0, 0])).toBeCloseTo(1, 10);
    expect(nmi(['a', 'a', 'b', 'b'], [0, 1, 0, 1])).toBeCloseTo(0, 10);
    // H(U) = ln 2, H(V) = ln 4, I = ln 2: arithmetic normalization gives 2/3.
    expect(nmi([0, 0, 1, 1], [0, 1, 2, 3])).toBeCloseTo(2 / 3, 10);
  });

  it('ARI matches scikit-learn on its documented examples', () => {
    expect(ari([0, 0, 1, 1], [1, 1, 0, 0])).toBeCloseTo(1, 10);
    expect(ari([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285715, 10);
    expect(ari([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 10);
    expect(ari([0, 0, 0, 0], [0, 1, 2, 3])).toBeCloseTo(0, 10);
  });

  it('the assignment solver finds the cheapest matching, also on rectangular costs', () => {
    const square = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const picked = solveAssignment(square);
    expect(picked).toEqual([1, 0, 2]);
    expect(picked.reduce((s, j, i) => s + (square[i]?.[j] ?? 0), 0)).toBe(5);
    expect(solveAssignment([[5, 1, 9, 2]])).toEqual([1]);
    expect(solveAssignment([[3], [1], [2]])).toEqual([-1, 0, -1]);
  });

  it('matched accuracy counts an extra cluster of a class as wrong', () => {
    expect(hungarianAccuracy(['x', 'x', 'y', 'y'], [7, 7, 9, 9])).toBe(1);
    // Class x split over clusters 1 and 2: only the larger part is matched.
    expect(hungarianAccuracy(['x', 'x', 'x', 'y'], [1, 1, 2, 3])).toBe(0.75);
    // One cluster for two classes: only one class can be matched to it.
    expect(hungarianAccuracy(['x', 'x', 'y', 'y', 'y'], [0, 0, 0, 0, 0])).toBe(0.6);
  });
});
