/**
 * Cold start: how the clustering does while an installation is young. Small labelled
 * subsets (K intents × M messages each, drawn with a seed) are each streamed through the
 * same `evaluateClustering` path, each into a fresh database, and the figures averaged over
 * seeds. With fewer than 100 tickets no consolidation pass runs at all, and votes and
 * re-homing barely start below a few hundred, so this measures the live assignment mostly.
 */
import { mulberry32 } from '../src/random.ts';
import { type EvalOptions, type EvalReport, evaluateClustering } from './cluster-eval.ts';
import { type Dataset, shuffled } from './eval-data.ts';

/** One subset size: K intents, M messages of each. */
export interface ColdStartSize {
  intents: number;
  perIntent: number;
}

/** The sizes the team tracks: a handful of problems, a few dozen, and a busier week. */
export const COLD_START_SIZES: readonly ColdStartSize[] = [
  { intents: 8, perIntent: 6 },
  { intents: 20, perIntent: 5 },
  { intents: 40, perIntent: 8 },
];

/** The figures of one size: per seed, and their means. */
export interface ColdStartReport {
  size: ColdStartSize;
  runs: EvalReport[];
  mean: { clustersPerIntent: number; singletonShare: number; nmi: number; ari: number };
}

/**
 * A seeded subset: `intents` labels drawn from those with at least `perIntent` messages,
 * then `perIntent` messages of each (mulberry32, like the evaluation's shuffle).
 */
export function coldStartSubset(dataset: Dataset, size: ColdStartSize, seed: number): Dataset {
  const byLabel = new Map<string, Dataset['messages']>();
  for (const m of dataset.messages) {
    const list = byLabel.get(m.label) ?? [];
    list.push(m);
    byLabel.set(m.label, list);
  }
  const eligible = [...byLabel.keys()].filter(
    (l) => (byLabel.get(l)?.length ?? 0) >= size.perIntent,
  );
  if (eligible.length < size.intents) {
    throw new Error(
      `${dataset.name}: only ${eligible.length} intents have ${size.perIntent} messages`,
    );
  }
  // Sorted first, so the draw depends on the seed only, not on the file's order.
  const random = mulberry32(seed);
  const labels = shuffled(eligible.sort(), Math.floor(random() * 2 ** 32)).slice(0, size.intents);
  const messages = labels.flatMap((l) =>
    shuffled(byLabel.get(l) ?? [], Math.floor(random() * 2 ** 32)).slice(0, size.perIntent),
  );
  return {
    name: dataset.name,
    split: `${dataset.split}, ${size.intents}×${size.perIntent} cold start`,
    messages,
  };
}

/** Runs every size for seeds 1..`seeds`; each subset in a fresh store, streamed in seed order. */
export async function evaluateColdStart(
  dataset: Dataset,
  options: Omit<EvalOptions, 'seed' | 'limit'> & {
    seeds: number;
    sizes?: readonly ColdStartSize[];
  },
): Promise<ColdStartReport[]> {
  const reports: ColdStartReport[] = [];
  for (const size of options.sizes ?? COLD_START_SIZES) {
    const runs: EvalReport[] = [];
    for (let seed = 1; seed <= options.seeds; seed++) {
      const subset = coldStartSubset(dataset, size, seed);
      runs.push(await evaluateClustering(subset, { ...options, seed }));
    }
    const mean = (f: (r: EvalReport) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
    reports.push({
      size,
      runs,
      mean: {
        clustersPerIntent: mean((r) => r.clusters / r.classes),
        singletonShare: mean((r) => r.singletonShare),
        nmi: mean((r) => r.nmi),
        ari: mean((r) => r.ari),
      },
    });
  }
  return reports;
}

/** The cold-start table as the command prints it. */
export function formatColdStart(reports: readonly ColdStartReport[]): string {
  const pct = (x: number) => (x * 100).toFixed(1);
  const lines = [
    `cold start         ${reports[0]?.runs[0]?.dataset ?? ''}, embedder ${reports[0]?.runs[0]?.embedder ?? ''}`,
    'size    seed  clusters/intent  singletons  NMI    ARI',
  ];
  for (const r of reports) {
    const label = `${r.size.intents}×${r.size.perIntent}`.padEnd(8);
    for (const run of r.runs) {
      lines.push(
        `${label}${String(run.seed).padEnd(6)}${(run.clusters / run.classes).toFixed(2).padEnd(17)}${pct(run.singletonShare).padEnd(12)}${pct(run.nmi).padEnd(7)}${pct(run.ari)}`,
      );
    }
    lines.push(
      `${label}mean  ${r.mean.clustersPerIntent.toFixed(2).padEnd(17)}${pct(r.mean.singletonShare).padEnd(12)}${pct(r.mean.nmi).padEnd(7)}${pct(r.mean.ari)}`,
    );
  }
  return lines.join('\n');
}
