import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGloveCache, GloveCacheError } from '../../src/ai/glove-cache.ts';
import { createOfflineEmbedder } from '../../src/ai/offline-embedder.ts';
import type { Embedder } from '../../src/ai/types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULE = join(ROOT, 'src', 'ai', 'offline-embedder.ts');
const PROBE = 'my invoice shows the wrong amount';

/** What a separate Node process reports after starting the embedder on `cacheDir`. */
interface ChildReport {
  initMs: number;
  vector: number[];
}

/** Starts the embedder in a fresh process, as a second `npm start` or vitest worker would. */
async function startInChild(cacheDir: string): Promise<ChildReport> {
  const script = `
    const { createOfflineEmbedder } = await import(${JSON.stringify(MODULE)});
    const embedder = createOfflineEmbedder({ cacheDir: ${JSON.stringify(cacheDir)} });
    const started = performance.now();
    await embedder.init();
    const initMs = performance.now() - started;
    const [vector] = await embedder.embed([${JSON.stringify(PROBE)}]);
    console.log(JSON.stringify({ initMs, vector: Array.from(vector) }));`;
  const run = promisify(execFile);
  const args = ['--import', 'tsx', '--input-type=module', '-e', script];
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 50_000 });
  return JSON.parse(stdout) as ChildReport;
}

const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const length = (v: Float32Array) => Math.hypot(...v);

let cacheDir: string;
let converting: ChildReport[];
let embedder: Embedder;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'switchboard-glove-'));
  // Two processes find no cache and convert at the same time, like parallel test workers.
  converting = await Promise.all([1, 2].map(() => startInChild(cacheDir)));
  embedder = createOfflineEmbedder({ cacheDir });
  await embedder.init();
});

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('createOfflineEmbedder', () => {
  it('reports its name and size', () => {
    expect(embedder.name).toBe('offline:glove-sg-100d-sif');
    expect(embedder.dimensions).toBe(100);
  });

  it('returns one unit-length 100-d vector per text, in input order', async () => {
    const texts = ['reset my password', 'the export button crashes', 'refund for a double charge'];
    const batch = await embedder.embed(texts);
    expect(batch).toHaveLength(3);
    for (const [i, text] of texts.entries()) {
      const vector = batch[i] as Float32Array;
      expect(vector).toHaveLength(100);
      expect(length(vector)).toBeCloseTo(1, 5);
      const [alone] = await embedder.embed([text]);
      expect(Array.from(vector)).toEqual(Array.from(alone as Float32Array));
    }
  });

  it('places paraphrases closer together than unrelated requests', async () => {
    const [crash, paraphrase, refund, charged, billed] = await embedder.embed([
      'the app crashes when I open settings',
      'settings screen closes the app',
      'how do I get a refund for my invoice',
      'I was charged twice for my subscription',
      'my card got billed two times this month',
    ]);
    const similar = cosine(crash as Float32Array, paraphrase as Float32Array);
    expect(similar).toBeGreaterThan(cosine(crash as Float32Array, refund as Float32Array) + 0.3);
    expect(similar).toBeGreaterThan(
      cosine(paraphrase as Float32Array, refund as Float32Array) + 0.3,
    );
    const billing = cosine(charged as Float32Array, billed as Float32Array);
    expect(billing).toBeGreaterThan(cosine(charged as Float32Array, crash as Float32Array) + 0.3);
  });

  it('understands contractions with or without the apostrophe', async () => {
    const [apostrophe, bare, positive] = await embedder.embed([
      "notifications don't arrive",
      'notifications dont arrive',
      'notifications arrive',
    ]);
    expect(cosine(apostrophe as Float32Array, bare as Float32Array)).toBeCloseTo(1, 5);
    expect(cosine(apostrophe as Float32Array, positive as Float32Array)).toBeLessThan(0.999);
  });

  it('gives empty and unknown-only text a stable unit vector unlike real text', async () => {
    const texts = ['', '   ', '?!', 'zqxjv qwzzk', 'zqxjv qwzzk'];
    const [empty, blank, punctuation, unknown, again] = await embedder.embed(texts);
    const [words] = await embedder.embed(['how do I get a refund']);
    for (const v of [empty, blank, punctuation, unknown]) {
      expect(length(v as Float32Array)).toBeCloseTo(1, 5);
      expect(Math.abs(cosine(v as Float32Array, words as Float32Array))).toBeLessThan(0.5);
    }
    expect(Array.from(unknown as Float32Array)).toEqual(Array.from(again as Float32Array));
    expect(Array.from(empty as Float32Array)).toEqual(Array.from(blank as Float32Array));
  });

  it('leaves one complete cache file when several processes convert at once', () => {
    const files = readdirSync(cacheDir);
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const [first, ...others] = converting.map((r) => r.vector);
    for (const other of others) expect(other).toEqual(first);
  });

  it('loads the cache in a later process quickly, with the same vectors', async () => {
    const [file] = readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
    const written = statSync(join(cacheDir, file as string)).mtimeMs;
    const later = await startInChild(cacheDir);
    expect(later.initMs).toBeLessThan(1000);
    expect(statSync(join(cacheDir, file as string)).mtimeMs).toBe(written);
    const [here] = await embedder.embed([PROBE]);
    expect(later.vector).toEqual(converting[0]?.vector);
    expect(cosine(Float32Array.from(later.vector), here as Float32Array)).toBeCloseTo(1, 6);
  });

  it('still embeds when the cache cannot be written, and says so when asked to ensure it', async () => {
    const blocker = join(cacheDir, 'not-a-directory');
    writeFileSync(blocker, '');
    const unwritable = join(blocker, 'cache');
    const [vector] = await createOfflineEmbedder({ cacheDir: unwritable }).embed([PROBE]);
    const [expected] = await embedder.embed([PROBE]);
    expect(Array.from(vector as Float32Array)).toEqual(Array.from(expected as Float32Array));
    await expect(ensureGloveCache(unwritable)).rejects.toBeInstanceOf(GloveCacheError);
  });
});
