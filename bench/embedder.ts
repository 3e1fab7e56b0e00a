import { createOfflineEmbedder } from '../src/ai/offline-embedder.ts';
import { since, summarize } from './stats.ts';

const SUBJECTS = [
  'the app',
  'checkout',
  'my invoice',
  'the settings screen',
  'push notifications',
  'the login page',
  'my order',
  'the storefront',
];
const PROBLEMS = [
  'crashes when I open it',
  'shows an error after the update',
  'is very slow today',
  'does not load on my phone',
  'keeps logging me out',
  'charged me twice',
];

/** Offline embedder throughput (sentences/s) in batches of 64, over repeated rounds. */
export async function benchEmbedder(
  rounds = 5,
  sentences = 20_000,
): Promise<Record<string, unknown>> {
  const embedder = createOfflineEmbedder();
  const loadStart = performance.now();
  await embedder.init();
  const loadMs = since(loadStart);
  const texts = Array.from(
    { length: sentences },
    (_, i) => `${SUBJECTS[i % SUBJECTS.length]} ${PROBLEMS[(i * 7) % PROBLEMS.length]} (${i})`,
  );
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < texts.length; i += 64) await embedder.embed(texts.slice(i, i + 64));
    rates.push(sentences / (since(start) / 1000));
  }
  return {
    'load ms (cached int8 file)': loadMs.toFixed(0),
    sentencesPerRound: sentences,
    'sentences/s': summarize(rates, 0).text,
  };
}
