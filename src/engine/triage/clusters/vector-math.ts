/** Small vector helpers for centroids: float32 storage, float64 arithmetic. */

/** Dot product over the shorter length. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** `v` scaled to unit length, as float32; a zero vector stays zero. */
export function unit(v: ArrayLike<number>): Float32Array {
  const norm = Math.sqrt(dot(v, v));
  const out = new Float32Array(v.length);
  if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / norm;
  return out;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const norms = Math.sqrt(dot(a, a) * dot(b, b));
  return norms > 0 ? dot(a, b) / norms : 0;
}

/** The mean of `count` vectors after adding one more: mean + (v - mean) / (count + 1). */
export function addToMean(
  mean: ArrayLike<number>,
  count: number,
  v: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    const m = mean[i] as number;
    out[i] = m + ((v[i] as number) - m) / (count + 1);
  }
  return out;
}

/** The mean of two groups' means, weighted by their sizes. */
export function combineMeans(
  a: ArrayLike<number>,
  na: number,
  b: ArrayLike<number>,
  nb: number,
): Float32Array {
  const out = new Float32Array(a.length);
  const total = na + nb;
  if (total === 0) return out;
  for (let i = 0; i < a.length; i++)
    out[i] = ((a[i] as number) * na + (b[i] as number) * nb) / total;
  return out;
}

/** The mean of a list of vectors (zero when empty). */
export function meanOf(vectors: readonly ArrayLike<number>[], dimensions: number): Float32Array {
  const sum = new Float64Array(dimensions);
  for (const v of vectors)
    for (let i = 0; i < dimensions; i++) sum[i] = (sum[i] as number) + (v[i] as number);
  const out = new Float32Array(dimensions);
  if (vectors.length > 0)
    for (let i = 0; i < dimensions; i++) out[i] = (sum[i] as number) / vectors.length;
  return out;
}
