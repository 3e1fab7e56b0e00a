/**
 * Conversation evaluation: plays each product's labelled corpus of customer conversations
 * (bench/conversations/<product>/corpus.json) through the real web chat of a freshly
 * started Switchboard (offline, default settings, a temporary data directory), then reads
 * the admin API and prints how triage did: answers, handoffs, disputes, tickets, clusters,
 * product areas, cluster titles and the digest ranking. Labels are used only for scoring.
 *
 * Run: `npm run eval:conversations [-- --product parcelly|thermly|all] [--json]`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { listProducts, loadCorpus } from './conversation-corpus.ts';
import { playCorpus } from './conversation-player.ts';
import { formatScores } from './conversation-report.ts';
import { type ProductScores, scoreRun } from './conversation-scores.ts';

/** Plays and scores the given products, one after the other. */
export async function evaluateConversations(products: readonly string[]): Promise<ProductScores[]> {
  // Every corpus is checked before anything is played, so a bad label fails fast.
  const corpora = products.map(loadCorpus);
  const scores: ProductScores[] = [];
  for (const corpus of corpora) scores.push(scoreRun(await playCorpus(corpus)));
  return scores;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      product: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
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
  let scores: ProductScores[];
  try {
    scores = await evaluateConversations(products);
  } catch (error) {
    process.stderr.write(`eval:conversations: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    values.json
      ? `${JSON.stringify(scores, null, 2)}\n`
      : `${scores.map(formatScores).join('\n\n')}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
