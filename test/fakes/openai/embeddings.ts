/**
 * Deterministic fake embeddings: a hashed bag of words, L2-normalized. Texts that share
 * words get similar vectors, so similarity-based code behaves plausibly in tests.
 */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const hash = fnv1a(word);
    const index = hash % dimensions;
    // The top bit picks the sign, so unrelated words cancel out instead of piling up.
    vector[index] = (vector[index] ?? 0) + (hash & 0x8000_0000 ? -1 : 1);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1; // still unit length for an empty text
    return vector;
  }
  return vector.map((v) => v / norm);
}

/** The wire form OpenAI uses for `encoding_format: "base64"`: little-endian float32. */
export function toBase64(vector: readonly number[]): string {
  return Buffer.from(Float32Array.from(vector).buffer).toString('base64');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x0100_0193);
  }
  return hash >>> 0;
}
