/**
 * mulberry32: a small seeded generator of floats in [0, 1). The same seed gives the same
 * sequence on every run and machine, which is what the sketch directions, seeded shuffles
 * and benchmark data need; it is not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
