/**
 * What an embedder costs a live ticket: load time (`init`), resident memory after loading
 * and after use, the latency of single-text calls (how live tickets and chat turns arrive:
 * p50/p99 over real report phrases, in the form clustering embeds them) and batch
 * throughput. Run each embedder in its own process, so memory figures are its own:
 *
 * `npx tsx bench/embed-cost.ts --embedder use [--data ../shared/data/banking77/train.csv] [--n 2000]`
 */
import { parseArgs } from 'node:util';
import { canonicalPhrase, contentWords } from '../src/engine/triage/canonical.ts';
import { embedderFromSpec } from './embedders.ts';
import { readDataset, shuffled } from './eval-data.ts';
import { percentile } from './stats.ts';

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      embedder: { type: 'string', default: 'glove' },
      data: { type: 'string', default: '../shared/data/banking77/train.csv' },
      n: { type: 'string', default: '2000' },
      json: { type: 'boolean', default: false },
    },
  });
  const rssBefore = process.memoryUsage().rss;
  const embedder = embedderFromSpec(values.embedder);
  const loadStart = performance.now();
  await embedder.init();
  const loadMs = performance.now() - loadStart;
  const rssLoaded = process.memoryUsage().rss;

  const n = Number(values.n);
  const phrases = shuffled(readDataset(values.data).messages, 7)
    .slice(0, n)
    .map((m) => canonicalPhrase(m.text));
  const texts = phrases.map((p) => contentWords(p) || p);
  // Warm-up on other texts, so the first timed calls are not the JIT's.
  for (const t of phrases.slice(0, 50)) await embedder.embed([t]);

  const single: number[] = [];
  for (const t of texts) {
    const start = performance.now();
    await embedder.embed([t]);
    single.push(performance.now() - start);
  }
  // A ticket embeds twice: the canonical phrase (product area) and its content words.
  const ticket: number[] = [];
  for (const [i, t] of texts.entries()) {
    const start = performance.now();
    await embedder.embed([phrases[i] as string]);
    await embedder.embed([t]);
    ticket.push(performance.now() - start);
  }
  const batchStart = performance.now();
  for (let i = 0; i < texts.length; i += 64) await embedder.embed(texts.slice(i, i + 64));
  const batchSeconds = (performance.now() - batchStart) / 1000;
  const report = {
    embedder: embedder.name,
    dimensions: embedder.dimensions,
    loadMs: Math.round(loadMs),
    rssLoadedMb: mb(rssLoaded),
    rssLoadDeltaMb: mb(rssLoaded - rssBefore),
    rssAfterMb: mb(process.memoryUsage().rss),
    singleP50Ms: round(percentile(single, 50)),
    singleP99Ms: round(percentile(single, 99)),
    singleMaxMs: round(Math.max(...single)),
    singlePerS: Math.round(single.length / (single.reduce((a, b) => a + b, 0) / 1000)),
    ticketP50Ms: round(percentile(ticket, 50)),
    ticketP99Ms: round(percentile(ticket, 99)),
    batch64PerS: Math.round(texts.length / batchSeconds),
  };
  process.stdout.write(
    values.json
      ? `${JSON.stringify(report)}\n`
      : `${Object.entries(report)
          .map(([k, v]) => `${k.padEnd(16)} ${v}`)
          .join('\n')}\n`,
  );
}

const round = (x: number) => Math.round(x * 1000) / 1000;

await main();
