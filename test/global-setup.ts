import { ensureGloveCache } from '../src/ai/glove-cache.ts';

/**
 * Converts the GloVe vectors once before any suite runs, so parallel test files don't
 * all convert them at the same time on a fresh clone.
 */
export default async function setup(): Promise<void> {
  await ensureGloveCache();
}
