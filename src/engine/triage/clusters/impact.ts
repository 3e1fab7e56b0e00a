import type { Urgency } from '../../../store/index.ts';
import type { Priority } from '../../../types/index.ts';

/**
 * The impact formula of docs/impact.md. Every report adds `severity × reporterWeight` to a
 * weight that halves every `halfLifeMs`; the weight is multiplied by a growth factor that
 * compares the last 24 h with the 24 h before. Urgency is a band of the impact.
 */
export const IMPACT = Object.freeze({
  halfLifeMs: 3 * 86_400_000,
  severity: Object.freeze({ low: 0.5, medium: 1, high: 2, critical: 4 } as Record<
    Priority,
    number
  >),
  /** A further report from someone who already reported the problem counts this much. */
  repeatReporterWeight: 0.2,
  windowMs: 86_400_000,
  /** Growth can at most double the impact (at 4x the previous window's reports). */
  maxGrowthDoublings: 2,
  urgentAt: 8,
  criticalAt: 30,
});

/** `weight` recorded at `from`, decayed to `to`. */
export function decay(weight: number, from: number, to: number): number {
  if (weight === 0) return 0;
  return weight * 2 ** (-Math.max(0, to - from) / IMPACT.halfLifeMs);
}

/** What one report adds to the weight. */
export function reportWeight(priority: Priority, newReporter: boolean): number {
  return IMPACT.severity[priority] * (newReporter ? 1 : IMPACT.repeatReporterWeight);
}

/** 1 (flat or falling) to 2 (reports at least quadrupled against the previous window). */
export function growthFactor(lastWindow: number, previousWindow: number): number {
  const doublings = Math.log2((lastWindow + 1) / (previousWindow + 1));
  return (
    1 + Math.min(IMPACT.maxGrowthDoublings, Math.max(0, doublings)) / IMPACT.maxGrowthDoublings
  );
}

/** The impact score from the decayed weight and the two windows' report counts. */
export function impactScore(
  decayedWeight: number,
  lastWindow: number,
  previousWindow: number,
): number {
  return decayedWeight * growthFactor(lastWindow, previousWindow);
}

/** The urgency band of an impact score. */
export function urgencyOf(impact: number): Urgency {
  if (impact >= IMPACT.criticalAt) return 'critical';
  if (impact >= IMPACT.urgentAt) return 'urgent';
  return 'normal';
}

/**
 * The weight of a list of reports, decayed to `now`: each reporter's first report counts
 * fully, their later ones at `repeatReporterWeight`. Reports must be oldest first.
 */
export function weightOf(
  reports: readonly { reporterKey: string; priority: Priority; createdAt: number }[],
  now: number,
): number {
  const seen = new Set<string>();
  let weight = 0;
  for (const r of reports) {
    weight += decay(reportWeight(r.priority, !seen.has(r.reporterKey)), r.createdAt, now);
    seen.add(r.reporterKey);
  }
  return weight;
}
