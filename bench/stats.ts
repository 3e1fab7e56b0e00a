/** Percentile of a sample (nearest rank), in the sample's unit. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/** Median with the spread (min–max) over repeated rounds, e.g. "1.23 (1.10–1.41)". */
export function summarize(
  rounds: readonly number[],
  digits = 2,
): { median: number; min: number; max: number; text: string } {
  const median = percentile(rounds, 50);
  const min = Math.min(...rounds);
  const max = Math.max(...rounds);
  return {
    median,
    min,
    max,
    text: `${median.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`,
  };
}

/** Milliseconds since `start` (from performance.now()). */
export const since = (start: number): number => performance.now() - start;
