import { loadGloveModel } from '../../ai/glove-cache.ts';

/**
 * The language's words by how common they are: a lowercased word's frequency rank (0 the
 * most common), or `undefined` for a string that is no word of it ("stuff" 3274, "pasword"
 * undefined).
 */
export type Dictionary = (lower: string) => number | undefined;

/** The commonest words of the language, which everybody types about anything ("act", "map"). */
export const EVERYDAY_WORDS = 10_000;

/**
 * The language's words as the offline word vectors know them: their 100,000 most frequent
 * words, most frequent first, which hold everyday words and their inflections ("stuff",
 * "moved", "blank") and not the misspellings customers type ("pasword", "acount"). One load
 * per process, shared with the offline embedder; when the vectors cannot be loaded no word
 * is known, and the catalog works as it would without a dictionary.
 */
export async function offlineDictionary(): Promise<Dictionary> {
  try {
    const { index } = await loadGloveModel();
    return (lower) => index.get(lower);
  } catch {
    return () => undefined;
  }
}
