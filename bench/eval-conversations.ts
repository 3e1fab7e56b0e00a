/**
 * Conversation evaluation: plays each product's labelled corpus of customer conversations
 * (bench/conversations/<product>/corpus.json) through the real web chat of a freshly
 * started Switchboard (offline, default settings, a temporary data directory), then reads
 * the admin API and prints how triage did: answers, handoffs, disputes, tickets, clusters,
 * product areas, cluster titles and the digest ranking. Labels are used only for scoring.
 *
 * Run: `npm run eval:conversations [-- --product parcelly|thermly|shoebox|all] [--seeds 3] [--json]`.
 * Each seed shuffles the order bug reports arrive in; with several, a summary of the means
 * follows the per-run blocks.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { listProducts, loadCorpus } from './conversation-corpus.ts';
import { playCorpus } from './conversation-player.ts';
import { formatScores, formatSummary } from './conversation-report.ts';
import { type ProductScores, scoreRun } from './conversation-scores.ts';

/** Plays and scores the given products, one after the other. */
export async function evaluateConversations(
  products: readonly string[],
  seeds = 1,
): Promise<ProductScores[]> {
  // Every corpus is checked before anything is played, so a bad label fails fast.
  const corpora = products.map(loadCorpus);
  const scores: ProductScores[] = [];
  for (const corpus of corpora) {
    for (let seed = 1; seed <= seeds; seed++) {
      scores.push(scoreRun(await playCorpus(corpus, seed)));
    }
  }
  return scores;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      product: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
      seeds: { type: 'string', default: '1' },
    },
  });
  const available = listProducts();
  const products = values.product === 'all' ? available : [values.product];
  const unknown = products.filter((p) => !available.includes(p));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown product "${unknown.join(', ')}"; usage: npm run eval:conversations [-- --product ${[...available, 'all'].join('|')}] [--json]\n`,
    );
    process.exit(2);
  }
  const seeds = Number(values.seeds);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 10) {
    process.stderr.write(`--seeds must be a whole number from 1 to 10, not "${values.seeds}"\n`);
    process.exit(2);
  }
  let scores: ProductScores[];
  try {
    scores = await evaluateConversations(products, seeds);
  } catch (error) {
    process.stderr.write(`eval:conversations: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    values.json
      ? `${JSON.stringify(scores, null, 2)}\n`
      : `${[...scores.map(formatScores), ...(seeds > 1 ? [formatSummary(scores)] : [])].join('\n\n')}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
