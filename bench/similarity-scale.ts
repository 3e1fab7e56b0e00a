/**
 * Where an embedder's similarity scale puts the cluster thresholds: embeds a seeded sample
 * of a labelled dataset the way clustering does (`contentWords(canonicalPhrase(text))`),
 * with a reference embedder (default `glove`, what the defaults were tuned on) and a
 * candidate, and maps each threshold of the defaults to the candidate's cosine at the same
 * quantile over all pairs of the sample (so a threshold passes the same share of pairs).
 * Also prints the mean cosine of same-intent and different-intent pairs. A starting point
 * for a sweep, not a setting: the sweep (sweep-clusters.ts) decides.
 *
 * Run: `npx tsx bench/similarity-scale.ts --data <file> --embedder use [--reference glove] [--sample 1500] [--text content|canonical]`
 */
import { parseArgs } from 'node:util';
import { canonicalPhrase, contentWords } from '../src/engine/triage/canonical.ts';
import { DEFAULT_CLUSTER_SETTINGS } from '../src/engine/triage/index.ts';
import { embedderFromSpec } from './embedders.ts';
import { readDataset, shuffled } from './eval-data.ts';

/** The thresholds of the defaults, by settings path. */
export const THRESHOLDS: Record<string, number> = {
  joinSimilarity: DEFAULT_CLUSTER_SETTINGS.joinSimilarity,
  mergeSimilarity: DEFAULT_CLUSTER_SETTINGS.mergeSimilarity,
  'neighbours.minSimilarity': DEFAULT_CLUSTER_SETTINGS.neighbours.minSimilarity,
  'neighbours.minCentroidSimilarity': DEFAULT_CLUSTER_SETTINGS.neighbours.minCentroidSimilarity,
  'regroup.minAverageSimilarity': DEFAULT_CLUSTER_SETTINGS.regroup.minAverageSimilarity,
  'rehome.minSimilarity': DEFAULT_CLUSTER_SETTINGS.rehome.minSimilarity,
};

function pairCosines(vectors: readonly Float32Array[]): Float32Array {
  const n = vectors.length;
  const out = new Float32Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = vectors[i] as Float32Array;
    for (let j = i + 1; j < n; j++) {
      const b = vectors[j] as Float32Array;
      let dot = 0;
      for (let d = 0; d < a.length; d++) dot += (a[d] as number) * (b[d] as number);
      out[k++] = dot;
    }
  }
  return out;
}

/** Leave-one-out accuracy of a k-nearest-neighbour majority vote: how often a message's
 * nearest messages share its intent (label-free clustering cannot beat its neighbourhoods). */
function knnAccuracy(cosines: Float32Array, labels: readonly string[], k: number): number {
  const n = labels.length;
  const pair = (i: number, j: number) => {
    const [a, b] = i < j ? [i, j] : [j, i];
    return cosines[a * n - (a * (a + 1)) / 2 + (b - a - 1)] as number;
  };
  let right = 0;
  for (let i = 0; i < n; i++) {
    const near = [...Array(n).keys()]
      .filter((j) => j !== i)
      .sort((x, y) => pair(i, y) - pair(i, x))
      .slice(0, k);
    const votes = new Map<string, number>();
    for (const j of near) votes.set(labels[j] as string, (votes.get(labels[j] as string) ?? 0) + 1);
    const best = [...votes.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
    if (best === labels[i]) right++;
  }
  return right / n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      split: { type: 'string' },
      embedder: { type: 'string', default: 'use' },
      reference: { type: 'string', default: 'glove' },
      sample: { type: 'string', default: '1500' },
      'embed-cache': { type: 'string' },
      // What is embedded: `content` (what clustering embeds) or `canonical` (the whole phrase).
      text: { type: 'string', default: 'content' },
    },
  });
  if (!values.data) throw new Error('--data <file> is required');
  const messages = shuffled(readDataset(values.data, values.split).messages, 1).slice(
    0,
    Number(values.sample),
  );
  const texts = messages.map((m) => {
    const phrase = canonicalPhrase(m.text);
    return values.text === 'canonical' ? phrase : contentWords(phrase) || phrase;
  });
  const sameIntent: boolean[] = [];
  for (let i = 0; i < messages.length; i++) {
    for (let j = i + 1; j < messages.length; j++) {
      sameIntent.push(messages[i]?.label === messages[j]?.label);
    }
  }
  const scales = [];
  for (const spec of [values.reference, values.embedder]) {
    const embedder = embedderFromSpec(spec, { cacheDir: values['embed-cache'] });
    const cosines = pairCosines(await embedder.embed(texts));
    let same = 0;
    let sameN = 0;
    let other = 0;
    for (const [k, s] of sameIntent.entries()) {
      if (s) {
        same += cosines[k] as number;
        sameN++;
      } else other += cosines[k] as number;
    }
    const sorted = Float32Array.from(cosines).sort();
    scales.push({
      spec,
      sorted,
      same: same / sameN,
      other: other / (cosines.length - sameN),
      knn: knnAccuracy(
        cosines,
        messages.map((m) => m.label),
        10,
      ),
    });
  }
  const [ref, cand] = scales as [(typeof scales)[0], (typeof scales)[0]];
  const quantileOf = (sorted: Float32Array, x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo / sorted.length;
  };
  const at = (sorted: Float32Array, q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const lines = [
    `sample ${messages.length} messages, ${ref.sorted.length} pairs`,
    `${'mean cosine'.padEnd(34)}${ref.spec.padEnd(12)} ${cand.spec}`,
    `${'  same intent'.padEnd(34)}${ref.same.toFixed(3).padEnd(12)} ${cand.same.toFixed(3)}`,
    `${'  different intents'.padEnd(34)}${ref.other.toFixed(3).padEnd(12)} ${cand.other.toFixed(3)}`,
    `${'10-NN majority accuracy'.padEnd(34)}${(ref.knn * 100).toFixed(1).padEnd(12)} ${(cand.knn * 100).toFixed(1)}`,
    `${'threshold'.padEnd(34)}${ref.spec.padEnd(12)} ${cand.spec} (same quantile; share of pairs above)`,
  ];
  for (const [name, t] of Object.entries(THRESHOLDS)) {
    const q = quantileOf(ref.sorted, t);
    lines.push(
      `  ${name.padEnd(32)}${t.toFixed(3).padEnd(12)} ${at(cand.sorted, q).toFixed(3)} (${((1 - q) * 100).toFixed(2)}%)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
