import type { Embedder } from './types.ts';

/** One part of a combined embedder and its share of the similarity. */
export interface EmbedderPart {
  embedder: Embedder;
  /** Relative weight (> 0); weights need not sum to 1. */
  weight: number;
}

/**
 * An `Embedder` that concatenates the unit vectors of its parts, each scaled by the square
 * root of its normalized weight, so the result is unit length again and its cosine is the
 * weighted mean of the parts' cosines: cos = Σ wᵢ·cosᵢ / Σ wᵢ. The name lists the parts
 * and weights, so a database built with other weights is re-indexed (`prepareVectors`).
 */
export function createCombinedEmbedder(parts: readonly EmbedderPart[]): Embedder {
  if (parts.length === 0 || parts.some((p) => !(p.weight > 0))) {
    throw new Error('a combined embedder needs at least one part, each with a weight above 0');
  }
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  const scales = parts.map((p) => Math.sqrt(p.weight / total));
  const dimensions = parts.reduce((sum, p) => sum + p.embedder.dimensions, 0);
  const name = `combined:${parts.map((p) => `${p.embedder.name}*${round(p.weight / total)}`).join('+')}`;

  return {
    name,
    dimensions,
    async init() {
      await Promise.all(parts.map((p) => p.embedder.init()));
    },
    async embed(texts) {
      const each = await Promise.all(parts.map((p) => p.embedder.embed(texts)));
      return texts.map((_, i) => {
        const out = new Float32Array(dimensions);
        let offset = 0;
        for (const [k, part] of parts.entries()) {
          const v = each[k]?.[i] as Float32Array;
          const scale = scales[k] as number;
          for (let d = 0; d < v.length; d++) out[offset + d] = (v[d] as number) * scale;
          offset += part.embedder.dimensions;
        }
        return renormalize(out);
      });
    },
  };
}

/** The parts are unit length up to float32 rounding; this removes the rounding. */
function renormalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) / norm;
  return v;
}

const round = (x: number): string => String(Math.round(x * 1000) / 1000);
