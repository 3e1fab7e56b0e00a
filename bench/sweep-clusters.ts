/**
 * A settings sweep for one embedder, through the evaluation's live path: every override of a
 * grid is run on each chosen target and one JSON line per run is appended to `--out`
 * (and a summary line printed). Targets: `b77` (Banking77 train, all of it), `clinc`
 * (CLINC150 val), `cold` (Banking77 cold-start sizes, `--seeds` seeds); `--seed` picks
 * the full runs' order. The grid is a JSON array of overrides (see settings-override.ts).
 *
 * Run: `npx tsx bench/sweep-clusters.ts --embedder use+trigram --targets clinc,cold
 *   --grid '[{"joinSimilarity":0.55},{"joinSimilarity":0.6}]' --out /tmp/sweep.jsonl
 *   [--banking77 FILE] [--clinc150 FILE] [--embed-cache DIR] [--seeds 3]`
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type EvalReport, evaluateClustering } from './cluster-eval.ts';
import { embedderFromSpec } from './embedders.ts';
import { evaluateColdStart } from './eval-coldstart.ts';
import { readDataset } from './eval-data.ts';
import { type SettingsOverride, withOverride } from './settings-override.ts';

const pct = (x: number) => Math.round(x * 1000) / 10;

/** The figures a sweep line keeps of a full run. */
function brief(r: EvalReport) {
  return {
    nmi: pct(r.nmi),
    ari: pct(r.ari),
    clustersPerClass: Math.round((r.clusters / r.classes) * 100) / 100,
    singletons: pct(r.singletonShare),
    largest: pct(r.largestClusterShare),
    msgPerS: Math.round(r.messagesPerSecond),
    consolidation: r.consolidation,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      embedder: { type: 'string', default: 'glove' },
      targets: { type: 'string', default: 'clinc,cold' },
      grid: { type: 'string', default: '[{}]' },
      out: { type: 'string', default: '/tmp/switchboard-sweep.jsonl' },
      banking77: { type: 'string', default: '../shared/data/banking77/train.csv' },
      clinc150: { type: 'string', default: '../shared/data/clinc150/clinc150_train_val.json' },
      'embed-cache': { type: 'string' },
      seeds: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
    },
  });
  const embedder = embedderFromSpec(values.embedder, { cacheDir: values['embed-cache'] });
  const grid = JSON.parse(values.grid) as SettingsOverride[];
  const targets = values.targets.split(',');
  const seed = Number(values.seed);
  for (const override of grid) {
    const settings = withOverride(override);
    const line: Record<string, unknown> = { embedder: values.embedder, seed, override };
    for (const target of targets) {
      if (target === 'b77' || target === 'clinc') {
        const data =
          target === 'b77' ? readDataset(values.banking77) : readDataset(values.clinc150, 'val');
        line[target] = brief(await evaluateClustering(data, { seed, embedder, settings }));
      } else if (target === 'cold') {
        const reports = await evaluateColdStart(readDataset(values.banking77), {
          seeds: Number(values.seeds),
          embedder,
          settings,
        });
        line.cold = Object.fromEntries(
          reports.map((r) => [
            `${r.size.intents}x${r.size.perIntent}`,
            {
              clustersPerIntent: Math.round(r.mean.clustersPerIntent * 100) / 100,
              singletons: pct(r.mean.singletonShare),
              nmi: pct(r.mean.nmi),
              ari: pct(r.mean.ari),
              ariPerSeed: r.runs.map((x) => pct(x.ari)),
            },
          ]),
        );
      } else throw new Error(`unknown target "${target}": use b77, clinc, cold`);
    }
    appendFileSync(values.out, `${JSON.stringify(line)}\n`);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

await main();
