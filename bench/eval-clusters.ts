/**
 * Clustering quality evaluation: streams a labelled intent dataset, in a seeded random
 * order, through the path a live ticket takes (normalize → embed → one transaction with
 * the ticket, its cluster assignment, consolidation and events) in a temporary database,
 * with the offline embedder and the default settings unless told otherwise. Labels are used
 * only for scoring.
 *
 * Run: `npm run eval:clusters -- --data <file> [--split train|val|test] [--seed N] [--limit N]`
 * or `npx tsx bench/eval-clusters.ts --data ../shared/data/banking77/train.csv`.
 * `--coldstart [--seeds 3]` runs small seeded subsets instead (see eval-coldstart.ts);
 * `--embedder` swaps the representation (see embedders.ts; default: the live one, GloVe-SIF with
 * trigrams) and `--settings '{"joinSimilarity":0.7}'` overrides cluster settings (see
 * settings-override.ts).
 */

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateClustering, formatReport } from './cluster-eval.ts';
import { DEFAULT_EMBEDDER_SPEC, embedderFromSpec } from './embedders.ts';
import { evaluateColdStart, formatColdStart } from './eval-coldstart.ts';
import { readDataset } from './eval-data.ts';
import { parseSettings } from './settings-override.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      split: { type: 'string' },
      seed: { type: 'string', default: '1' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      coldstart: { type: 'boolean', default: false },
      seeds: { type: 'string', default: '3' },
      embedder: { type: 'string', default: DEFAULT_EMBEDDER_SPEC },
      settings: { type: 'string' },
      'embed-cache': { type: 'string' },
    },
  });
  if (!values.data) {
    process.stderr.write(
      'usage: npm run eval:clusters -- --data <banking77.csv|clinc150.json> [--split train|val|test] [--seed N] [--limit N] [--json]\n' +
        '       [--coldstart [--seeds 3]] [--embedder glove|trigram|use|glove+trigram*0.5...] [--settings JSON] [--embed-cache DIR]\n',
    );
    process.exit(2);
  }
  const dataset = readDataset(values.data, values.split);
  const embedder = embedderFromSpec(values.embedder, { cacheDir: values['embed-cache'] });
  const settings = parseSettings(values.settings);
  if (values.coldstart) {
    const reports = await evaluateColdStart(dataset, {
      seeds: Number(values.seeds),
      embedder,
      settings,
    });
    process.stdout.write(`${values.json ? JSON.stringify(reports) : formatColdStart(reports)}\n`);
    return;
  }
  const report = await evaluateClustering(dataset, {
    seed: Number(values.seed),
    limit: values.limit ? Number(values.limit) : undefined,
    embedder,
    settings,
  });
  process.stdout.write(`${values.json ? JSON.stringify(report) : formatReport(report)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
