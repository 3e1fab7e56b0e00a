import { mulberry32 } from '../random.ts';

/**
 * SimHash sketches: bit i of a vector's sketch is the sign of its dot product with the i-th
 * of 256 fixed random directions. Two vectors at angle θ differ in about 256·θ/π bits, so the
 * Hamming distance between sketches ranks by angle, roughly, at a 32-byte cost per vector.
 * The centroid index uses them as a shortlist above a few thousand open clusters (see
 * `ClusterStore.nearest` and docs/clustering.md, "Cost").
 */
export const SKETCH_BITS = 256;

const directions = new Map<number, Float32Array>();

/** The same 256 Gaussian directions for a dimension on every run (seeded by the dimension). */
function directionsFor(dimensions: number): Float32Array {
  let planes = directions.get(dimensions);
  if (!planes) {
    const rand = mulberry32(0x5eed ^ dimensions);
    planes = new Float32Array(SKETCH_BITS * dimensions);
    for (let i = 0; i < planes.length; i++) {
      // Box-Muller: Gaussian components make the directions uniform on the sphere.
      const u = 1 - rand();
      planes[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    }
    directions.set(dimensions, planes);
  }
  return planes;
}

/** The 32-byte sketch of a vector (any length; only directions matter). */
export function sketch(v: Float32Array): Buffer {
  const dimensions = v.length;
  const planes = directionsFor(dimensions);
  const out = Buffer.alloc(SKETCH_BITS / 8);
  for (let bit = 0; bit < SKETCH_BITS; bit++) {
    const base = bit * dimensions;
    let dot = 0;
    for (let d = 0; d < dimensions; d++) dot += (planes[base + d] as number) * (v[d] as number);
    // sqlite-vec reads bit[] vectors least significant bit first.
    if (dot > 0) out[bit >> 3] = (out[bit >> 3] as number) | (1 << (bit & 7));
  }
  return out;
}

/** Bits in which two sketches differ. */
export function hamming(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = ((a[i] as number) ^ (b[i] as number)) & 0xff;
    while (x) {
      x &= x - 1;
      bits++;
    }
  }
  return bits;
}
