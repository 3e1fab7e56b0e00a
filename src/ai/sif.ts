/**
 * Smooth inverse frequency (SIF) sentence vectors, after Arora, Liang and Ma, "A Simple but
 * Tough-to-Beat Baseline for Sentence Embeddings" (ICLR 2017): a weighted average of word
 * vectors, each word weighted by a / (a + p(word)), minus the projection on a fixed common
 * component. Pure functions over a loaded `WordTable`; no I/O here.
 */

/** Word vectors as the embedder uses them: int8 rows with a per-row coefficient. */
export interface WordTable {
  readonly dimensions: number;
  /** Word to row. */
  readonly index: ReadonlyMap<string, number>;
  /** `rows * dimensions` quantized components, row-major. */
  readonly vectors: Int8Array;
  /** Per row: dequantization scale times the word's SIF weight. */
  readonly coef: Float32Array;
}

/** One whole token as the tokenizer can emit it; other vocabulary entries are unreachable. */
export const TOKEN_SHAPE = /^[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*$/u;
const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc`\u00b4]/g;
/** GloVe's tokenizer splits "can't" into "ca" + "n't"; the wink vocabulary has no "n't". */
const NEGATION_STEMS: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };
/** Chat spelling without the apostrophe: "dont", "cant", "isnt"... */
const BARE_NEGATIONS = new Set(
  'do does did is was are were ca can wo could would should have has had must need'.split(' '),
);
const CLITICS: Record<string, string | undefined> = {
  s: undefined,
  m: 'am',
  re: 'are',
  ve: 'have',
  ll: 'will',
  d: 'would',
};

/**
 * Lowercased word tokens in the vocabulary's conventions: letters and digits, keeping
 * hyphenated and apostrophe words the vocabulary knows ("wi-fi", "e-mail"), splitting the
 * rest, and expanding contractions ("don't", "dont" -> "do", "not"). Unknown words are kept;
 * callers skip them.
 */
export function tokenize(text: string, known: (word: string) => boolean): string[] {
  const tokens: string[] = [];
  const normalized = text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'");
  for (const match of normalized.matchAll(TOKEN)) {
    const word = match[0];
    // "dont" and "cant" are in the vocabulary too, but in support chat they mean "do not".
    const negation = bareNegation(word);
    if (negation) tokens.push(...negation);
    else if (known(word)) tokens.push(word);
    else tokens.push(...splitUnknown(word));
  }
  return tokens;
}

function bareNegation(word: string): string[] | undefined {
  const stem = word.slice(0, -2);
  if (!word.endsWith('nt') || !BARE_NEGATIONS.has(stem)) return undefined;
  return [NEGATION_STEMS[stem] ?? stem, 'not'];
}

function splitUnknown(word: string): string[] {
  if (word.endsWith("n't")) {
    const stem = word.slice(0, -3);
    return [NEGATION_STEMS[stem] ?? stem, 'not'];
  }
  const clitic = /^([^'-]+)'(s|m|re|ve|ll|d)$/.exec(word);
  if (clitic?.[1] && clitic[2]) {
    const expanded = CLITICS[clitic[2]];
    return expanded ? [clitic[1], expanded] : [clitic[1]];
  }
  return word.includes('-') || word.includes("'") ? word.split(/['-]/) : [word];
}

/**
 * The SIF weight a / (a + p) of the word at frequency `rank` (0 = most frequent), with p
 * estimated by Zipf's law over a vocabulary of `vocabularySize` words: p = 1 / ((rank + 1) H).
 */
export function sifWeight(rank: number, a: number, vocabularySize: number): number {
  const harmonic = Math.log(vocabularySize) + 0.5772156649;
  const p = 1 / ((rank + 1) * harmonic);
  return a / (a + p);
}

/**
 * Writes the SIF-weighted average of the known tokens' vectors into `out` (before common
 * component removal) and returns how many tokens were known. `out` is zero when none were.
 */
export function weightedAverage(table: WordTable, tokens: readonly string[], out: Float64Array) {
  const { dimensions, index, vectors, coef } = table;
  out.fill(0);
  let known = 0;
  for (const token of tokens) {
    const row = index.get(token);
    if (row === undefined) continue;
    const c = coef[row] ?? 0;
    const base = row * dimensions;
    for (let d = 0; d < dimensions; d++) out[d] = (out[d] ?? 0) + c * (vectors[base + d] ?? 0);
    known++;
  }
  if (known > 1) for (let d = 0; d < dimensions; d++) out[d] = (out[d] ?? 0) / known;
  return known;
}

/** Subtracts from `vector` its projection on each unit row of `components`. */
export function removeComponents(vector: Float64Array, components: Float32Array): void {
  const dimensions = vector.length;
  for (let start = 0; start + dimensions <= components.length; start += dimensions) {
    let dot = 0;
    for (let d = 0; d < dimensions; d++) dot += (vector[d] ?? 0) * (components[start + d] ?? 0);
    for (let d = 0; d < dimensions; d++) {
      vector[d] = (vector[d] ?? 0) - dot * (components[start + d] ?? 0);
    }
  }
}

/**
 * The top `count` principal directions of `samples` (uncentered, as in the SIF paper), by
 * power iteration with deflation from a fixed start: the same input always gives the same
 * output. Rows of the result are unit vectors, signed so their largest entry is positive.
 */
export function principalComponents(samples: readonly Float64Array[], count: number): Float32Array {
  const dimensions = samples[0]?.length ?? 0;
  const cov = new Float64Array(dimensions * dimensions);
  for (const s of samples) {
    for (let i = 0; i < dimensions; i++) {
      const si = s[i] ?? 0;
      for (let j = 0; j < dimensions; j++) {
        cov[i * dimensions + j] = (cov[i * dimensions + j] ?? 0) + si * (s[j] ?? 0);
      }
    }
  }
  const result = new Float32Array(count * dimensions);
  for (let k = 0; k < count; k++) {
    let u: Float64Array = new Float64Array(dimensions).fill(1 / Math.sqrt(dimensions));
    let eigenvalue = 0;
    for (let iteration = 0; iteration < 500; iteration++) {
      const next = multiply(cov, u);
      eigenvalue = Math.hypot(...next);
      if (eigenvalue === 0) break;
      for (let d = 0; d < dimensions; d++) next[d] = (next[d] ?? 0) / eigenvalue;
      const moved = next.reduce((sum, x, d) => sum + Math.abs(x - (u[d] ?? 0)), 0);
      u = next;
      if (moved < 1e-12) break;
    }
    const largest = u.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
    const sign = largest < 0 ? -1 : 1;
    for (let i = 0; i < dimensions; i++) {
      result[k * dimensions + i] = sign * (u[i] ?? 0);
      for (let j = 0; j < dimensions; j++) {
        const at = i * dimensions + j;
        cov[at] = (cov[at] ?? 0) - eigenvalue * (u[i] ?? 0) * (u[j] ?? 0);
      }
    }
  }
  return result;
}

function multiply(matrix: Float64Array, vector: Float64Array): Float64Array {
  const n = vector.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (matrix[i * n + j] ?? 0) * (vector[j] ?? 0);
    out[i] = sum;
  }
  return out;
}
