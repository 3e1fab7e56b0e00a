import type { Embedder } from './types.ts';

/** What `createTrigramEmbedder` accepts. */
export interface TrigramEmbedderOptions {
  /** Hashed feature dimensions (a power of two is not required). Default 512. */
  dimensions?: number | undefined;
  /** Weight each trigram by 1 + ln(count) instead of its count. Default true. */
  sublinear?: boolean | undefined;
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/**
 * An `Embedder` with no weights at all: the character trigrams of each lowercased word,
 * padded with a boundary mark (`#card#` → `#ca`, `car`, `ard`, `rd#`), hashed into a fixed
 * number of dimensions with a signed hash (so collisions cancel on average instead of
 * adding up), weighted by sublinear term frequency and L2-normalized. It matches spelling
 * variants and inflections ("declined", "decline", "declining") that word vectors treat as
 * separate words, and knows nothing of synonyms.
 *
 * Text with no letter or digit gets one fixed boundary-only feature, so every vector is
 * unit length and cosine stays defined.
 */
export function createTrigramEmbedder(options: TrigramEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 512;
  const sublinear = options.sublinear ?? true;
  return {
    name: `offline:char-trigram-${dimensions}${sublinear ? '-sublinear' : ''}`,
    dimensions,
    init: () => Promise.resolve(),
    embed: (texts) => Promise.resolve(texts.map((t) => embedOne(t, dimensions, sublinear))),
  };
}

function embedOne(text: string, dimensions: number, sublinear: boolean): Float32Array {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(WORD) ?? []) {
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const gram = padded.slice(i, i + 3);
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
  }
  if (counts.size === 0) counts.set('##', 1);
  const values = new Float64Array(dimensions);
  for (const [gram, n] of counts) {
    const h = fnv1a(gram);
    // The low bits pick the slot, the top bit the sign (independent enough for hashing).
    const slot = (h >>> 0) % dimensions;
    const sign = h & 0x80000000 ? -1 : 1;
    values[slot] = (values[slot] as number) + sign * (sublinear ? 1 + Math.log(n) : n);
  }
  let sum = 0;
  for (const v of values) sum += v * v;
  const norm = Math.sqrt(sum);
  const out = new Float32Array(dimensions);
  // Two trigrams can cancel exactly in one slot; the rest keep the norm above zero.
  if (!(norm > 0)) return out.fill(1 / Math.sqrt(dimensions));
  for (let d = 0; d < dimensions; d++) out[d] = (values[d] as number) / norm;
  return out;
}

/** 32-bit FNV-1a, then a final avalanche so nearby strings spread over the slots. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
