/**
 * The embedders the clustering evaluation can swap in, by name (`--embedder`): `glove` (the
 * default, today's offline embedder), `trigram` (hashed character trigrams, 512-d; also
 * `trigram-256`, `trigram-1024`, and `-tf` for plain counts), `use` (Universal Sentence
 * Encoder lite, needs the `@energetic-ai` packages installed) and weighted combinations
 * joined by `+`, each part optionally `*weight` (default 1): `glove+trigram*0.5`,
 * `use*2+trigram`. Weights are relative; the combined cosine is the weighted mean of the
 * parts' cosines.
 */
import { createCombinedEmbedder } from '../src/ai/combined-embedder.ts';
import { createOfflineEmbedder } from '../src/ai/offline-embedder.ts';
import { createTrigramEmbedder } from '../src/ai/trigram-embedder.ts';
import type { Embedder } from '../src/ai/types.ts';
import { withEmbeddingCache } from './embed-cache.ts';
import { createUseEmbedder } from './use-embedder.ts';

/** The default: what the app clusters with offline (GloVe-SIF and trigrams, equally). */
export const DEFAULT_EMBEDDER_SPEC = 'glove+trigram';

/** Options for building an embedder from its name. */
export interface EmbedderSpecOptions {
  /**
   * A directory where the vectors of slow parts (`use`) are kept between runs, so a settings
   * sweep embeds each text once. Vectors are the same; only timing figures change.
   */
  cacheDir?: string | undefined;
}

/** Builds the embedder a spec names; throws on an unknown part. */
export function embedderFromSpec(spec: string, options: EmbedderSpecOptions = {}): Embedder {
  const parts = spec.split('+').map((part) => {
    const [name = '', weight = '1'] = part.trim().split('*');
    const w = Number(weight);
    if (!(w > 0)) throw new Error(`embedder "${spec}": weight "${weight}" is not a number above 0`);
    return { embedder: basePart(name.trim(), options), weight: w };
  });
  const [only] = parts;
  return parts.length === 1 && only ? only.embedder : createCombinedEmbedder(parts);
}

function basePart(name: string, options: EmbedderSpecOptions): Embedder {
  if (name === 'glove') return createOfflineEmbedder();
  if (name === 'use') {
    const use = createUseEmbedder();
    return options.cacheDir ? withEmbeddingCache(use, options.cacheDir) : use;
  }
  const trigram = /^trigram(?:-(\d+))?(-tf)?$/.exec(name);
  if (trigram) {
    return createTrigramEmbedder({
      dimensions: trigram[1] ? Number(trigram[1]) : undefined,
      sublinear: !trigram[2],
    });
  }
  throw new Error(`unknown embedder "${name}": use glove, trigram[-DIMS][-tf], use, or a+b*weight`);
}
